package dev.herald.devstack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Throughput and latency of user-api's {@code PUT} and {@code GET /api/v1/users/{id}} against a running Herald
 * (devstack by default): a closed loop of {@code --concurrency} clients, each sending its next request when the
 * previous one is answered, for {@code --duration} per phase after a warm-up. PUT creates distinct users with
 * an address, a device and preferences; GET reads them back at random (cache hits after the first read).
 *
 * <p>Run it with {@code bench/user-api}; options: {@code --url}, {@code --token-file}, {@code --concurrency},
 * {@code --duration} (seconds), {@code --warmup} (seconds).
 */
public final class UserApiBenchmark {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    private UserApiBenchmark(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        URI url = URI.create(options.getOrDefault("url", "http://localhost:8081"));
        String token = Files.readString(Path.of(options.getOrDefault("token-file", ".devstack/token")))
                .strip();
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5")));
        UserApiBenchmark bench = new UserApiBenchmark(url, token);
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger created = new AtomicInteger();

        System.out.printf(
                "user-api benchmark against %s: %d concurrent clients, %d s warm-up, %d s per phase%n",
                url, concurrency, warmup.toSeconds(), duration.toSeconds());
        IntFunction<HttpRequest> put = n -> bench.put("bench-" + run + "-" + created.getAndIncrement());
        bench.phase("warm-up", put, concurrency, warmup);
        Result puts = bench.phase("PUT", put, concurrency, duration);
        int users = created.get();
        IntFunction<HttpRequest> get = n ->
                bench.get("bench-" + run + "-" + ThreadLocalRandom.current().nextInt(users));
        bench.phase("warm-up", get, concurrency, warmup);
        Result gets = bench.phase("GET", get, concurrency, duration);
        System.out.println();
        System.out.println("phase  requests  errors   req/s    p50 ms   p90 ms   p99 ms   max ms");
        System.out.println(puts.row("PUT"));
        System.out.println(gets.row("GET"));
    }

    private HttpRequest put(String id) {
        String body = """
                {"email": "%s@bench.example.com", "locale": "en-GB", "timeZone": "Europe/London",
                 "devices": [{"token": "token-%s", "platform": "android", "appId": "bench"}],
                 "preferences": {"channels": {"email": true}, "categories": {"marketing": {"email": false}},
                                 "quietHours": {"start": "22:00", "end": "07:00"}}}
                """.formatted(id, id);
        return HttpRequest.newBuilder(base.resolve("/api/v1/users/" + id))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private HttpRequest get(String id) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/users/" + id))
                .header("Authorization", "Bearer " + token)
                .GET()
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private Result phase(String name, IntFunction<HttpRequest> requests, int concurrency, Duration duration)
            throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> clients = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> {
                    long[] latencies = new long[1024];
                    int count = 0;
                    while (System.nanoTime() < end) {
                        HttpRequest request = requests.apply(count);
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() >= 300) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = System.nanoTime() - sent;
                    }
                    return Arrays.copyOf(latencies, count);
                }));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] all = clients.stream()
                .map(UserApiBenchmark::join)
                .flatMapToLong(Arrays::stream)
                .sorted()
                .toArray();
        Result result = new Result(all, errors.get(), seconds);
        System.out.printf("  %-8s %d requests, %.0f req/s%n", name, all.length, result.throughput());
        return result;
    }

    private static long[] join(Future<long[]> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(long[] sortedLatencies, int errors, double seconds) {

        double throughput() {
            return sortedLatencies.length / seconds;
        }

        double percentileMs(double p) {
            if (sortedLatencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100 * sortedLatencies.length) - 1;
            return sortedLatencies[Math.max(0, index)] / 1e6;
        }

        String row(String name) {
            return String.format(
                    "%-5s %9d %7d %8.0f %8.1f %8.1f %8.1f %8.1f",
                    name,
                    sortedLatencies.length,
                    errors,
                    throughput(),
                    percentileMs(50),
                    percentileMs(90),
                    percentileMs(99),
                    percentileMs(100));
        }
    }
}
