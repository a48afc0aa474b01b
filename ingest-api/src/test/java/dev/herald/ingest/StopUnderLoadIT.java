package dev.herald.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ingest-api stopped under load, as an orchestrator stops it (SIGTERM runs the same close): clients on kept-alive
 * connections, half of them with a fresh {@code Idempotency-Key} per request, send until the app is gone. Every
 * answer is 202 or a 503 to retry, never an error, and every 202 is on the topic: an app that is stopping finishes
 * what it took in and takes nothing its stopping parts cannot serve. By hand on devstack this found 500s (requests
 * that kept-alive connections brought in after graceful shutdown had finished, which met the Redis connection
 * factory stopping).
 */
class StopUnderLoadIT {

    private static final Logger log = LoggerFactory.getLogger(StopUnderLoadIT.class);

    private static final int CLIENTS = 16;
    /**
     * Answers before the stop, so that every client is on a kept-alive connection that has carried requests and the
     * app answers at its pace (its first requests wait for the broker's metadata and a cold JIT).
     */
    private static final int ANSWERS_BEFORE_STOP = 20 * CLIENTS;

    private static final Duration LOAD_WAIT = Duration.ofSeconds(60);

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final String BODY = "{\"userId\":\"u-stop\",\"templateId\":\"welcome\",\"data\":{\"n\":1}}";

    private final String token = TestInfrastructure.token("notifications:write");

    /** One request's fate: its answer's status, or the exception that ended it without one. */
    private record Outcome(long sentNanos, long endedNanos, int status, String retryAfter, String id, String failure) {

        boolean answered() {
            return failure == null;
        }
    }

    @Test
    void everyAnswerWhileStoppingIsAcceptedOrRetryableAndEveryAcceptedOneIsOnTheTopic() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(IngestApiApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers="
                                + TestInfrastructure.broker().bootstrapServers(),
                        "--herald.security.jwt.hmac-secret=" + TestInfrastructure.JWT_SECRET,
                        "--herald.kafka.partitions=" + TestInfrastructure.PARTITIONS,
                        "--herald.kafka.replication-factor=1",
                        // the load, not the limit, is what this test is about
                        "--herald.ingest.rate-limit.capacity=1000000",
                        "--herald.ingest.rate-limit.per-second=1000000");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/notifications");

        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stopped = new AtomicBoolean();
        long stopBegan;
        long stopEnded;
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                boolean keyed = c % 2 == 0;
                running.add(clients.submit(() -> send(uri, keyed, outcomes, stopped)));
            }
            long deadline = System.nanoTime() + LOAD_WAIT.toNanos();
            while (outcomes.size() < ANSWERS_BEFORE_STOP && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(outcomes).as("answers before the stop").hasSizeGreaterThanOrEqualTo(ANSWERS_BEFORE_STOP);
            stopBegan = System.nanoTime();
            app.close();
            stopEnded = System.nanoTime();
            stopped.set(true);
            for (Future<?> client : running) {
                client.get(30, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
            app.close();
        }

        log.info(
                "Stopped in {} ms under {} clients: {}",
                TimeUnit.NANOSECONDS.toMillis(stopEnded - stopBegan),
                CLIENTS,
                tally(outcomes));
        List<Outcome> answers = outcomes.stream().filter(Outcome::answered).toList();
        assertThat(answers).as("every answer is 202, or 503 with Retry-After").allSatisfy(o -> {
            assertThat(o.status()).isIn(202, 503);
            if (o.status() == 202) {
                assertThat(o.id()).isNotNull();
            } else {
                assertThat(o.retryAfter()).isNotNull();
            }
        });
        assertThat(answers)
                .as("requests sent before the stop began and answered 202 after it: the stop came under load")
                .anyMatch(o -> o.status() == 202 && o.sentNanos() < stopBegan && o.endedNanos() > stopBegan);

        Set<String> accepted =
                answers.stream().filter(o -> o.status() == 202).map(Outcome::id).collect(Collectors.toSet());
        try (TopicProbe<String, NotificationRequest> topic =
                TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.REQUESTS)) {
            topic.await(r -> accepted.contains(r.value().id().toString()), accepted.size(), Duration.ofSeconds(30));
        }
    }

    /**
     * Sends one request after another on one client (so on one kept-alive connection while the app keeps it) until
     * the app has stopped and refused one.
     */
    private void send(URI uri, boolean keyed, List<Outcome> outcomes, AtomicBoolean stopped) {
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            boolean answered = true;
            while (answered || !stopped.get()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(BODY));
                if (keyed) {
                    request.header("Idempotency-Key", UUID.randomUUID().toString());
                }
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    Matcher id = ID.matcher(response.body());
                    outcomes.add(new Outcome(
                            sent,
                            System.nanoTime(),
                            response.statusCode(),
                            response.headers().firstValue("Retry-After").orElse(null),
                            id.find() ? id.group(1) : null,
                            null));
                    answered = true;
                } catch (IOException e) {
                    outcomes.add(new Outcome(
                            sent, System.nanoTime(), 0, null, null, e.getClass().getSimpleName()));
                    answered = false;
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Long> tally(List<Outcome> outcomes) {
        Function<Outcome, String> kind = o -> o.answered() ? String.valueOf(o.status()) : o.failure();
        return outcomes.stream().collect(Collectors.groupingBy(kind, Collectors.counting()));
    }
}
