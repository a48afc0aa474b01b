package dev.herald.devstack;

import dev.herald.devstack.bench.Options;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.FreePorts;
import dev.herald.testkit.KafkaBroker;
import dev.herald.testkit.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingest-api benchmark: an in-process broker, ingest-api in its own JVM with its production settings
 * (authentication, validation, idempotency and rate limiting on, Redis on localhost), and autocannon
 * ({@code bench/ingest-load.mjs}) driving first the bare baseline endpoint (produce to Kafka only) and then
 * {@code POST /api/v1/notifications} with a fresh {@code Idempotency-Key} per request, at the same concurrency.
 * A third phase repeats the second without the key, to show what idempotency costs. Prints accepted
 * notifications a second, latency percentiles and the ratio of the keyed phase to the baseline.
 *
 * <p>Run with {@code bench/ingest}; options {@code --connections} (64), {@code --duration} (20 s per phase),
 * {@code --warmup} (5 s per phase).
 */
public final class IngestBenchmark {

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Path root = Path.of(System.getProperty("herald.root", "."));
        String connections = options.getOrDefault("connections", "64");
        String duration = options.getOrDefault("duration", "20");
        String warmup = options.getOrDefault("warmup", "5");
        String secret = Tokens.newSecret();
        int port = FreePorts.pick();

        try (KafkaBroker broker = KafkaBroker.start(0)) {
            broker.createTopics(Topics.all(), 3);
            AppProcess ingest = AppProcess.start(
                    App.INGEST_API,
                    port,
                    root.resolve("ingest-api/target/ingest-api-exec.jar"),
                    List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"),
                    List.of(
                            "--server.port=" + port,
                            "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                            "--herald.kafka.create-topics=false",
                            "--herald.ingest.benchmark-baseline=true",
                            "--herald.security.public-paths=/bench/**",
                            "--herald.ingest.rate-limit.clients.bench.capacity=100000000",
                            "--herald.ingest.rate-limit.clients.bench.per-second=100000000",
                            "--logging.level.root=warn"),
                    Map.of("HERALD_SECURITY_JWT_HMAC_SECRET", secret),
                    root.resolve(".bench/ingest-api.log"));
            try {
                ingest.awaitReady(Duration.ofMinutes(2));
                String token = Tokens.mint(secret, "bench", List.of("notifications:write"), Duration.ofHours(1));
                System.out.printf(
                        "ingest-api benchmark: %s connections, %s s warm-up and %s s per phase%n",
                        connections, warmup, duration);
                List<JsonNode> phases = load(root, ingest.url().toString(), token, connections, duration, warmup);
                report(phases);
            } finally {
                ingest.requestStop();
                ingest.awaitStop(Duration.ofSeconds(20));
            }
        }
    }

    private static List<JsonNode> load(
            Path root, String url, String token, String connections, String duration, String warmup)
            throws IOException, InterruptedException {
        Process node = new ProcessBuilder(
                        "node",
                        root.resolve("bench/ingest-load.mjs").toString(),
                        url,
                        token,
                        connections,
                        duration,
                        warmup)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<JsonNode> phases = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                phases.add(json.readTree(line));
            }
        }
        if (node.waitFor() != 0) {
            throw new IllegalStateException("the load generator failed (exit " + node.exitValue() + ")");
        }
        return phases;
    }

    private static void report(List<JsonNode> phases) {
        System.out.println();
        System.out.println("phase     requests  accepted/s  non-2xx  errors  p50 ms  p90 ms  p99 ms  max ms");
        double baseline = 0;
        double ingest = 0;
        for (JsonNode phase : phases) {
            double acceptedPerSecond =
                    phase.path("accepted").asDouble() / phase.path("seconds").asDouble();
            System.out.printf(
                    "%-9s %8d %11.0f %8d %7d %7.1f %7.1f %7.1f %7.1f%n",
                    phase.path("phase").asString(),
                    phase.path("requests").asLong(),
                    acceptedPerSecond,
                    phase.path("non2xx").asLong(),
                    phase.path("errors").asLong() + phase.path("timeouts").asLong(),
                    phase.path("p50").asDouble(),
                    phase.path("p90").asDouble(),
                    phase.path("p99").asDouble(),
                    phase.path("max").asDouble());
            if (phase.path("phase").asString().equals("baseline")) {
                baseline = acceptedPerSecond;
            } else if (phase.path("phase").asString().equals("ingest")) {
                ingest = acceptedPerSecond;
            }
        }
        System.out.printf("%ningest / baseline = %.2f%n", baseline == 0 ? 0 : ingest / baseline);
    }
}
