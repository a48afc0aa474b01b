package dev.herald.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testkit.TestInfrastructure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With no broker to acknowledge it, a request is answered 503 within the configured bound, never 202. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class IngestApiWithoutBrokerIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:1"); // nothing listens there
        registry.add("herald.security.jwt.hmac-secret", () -> TestInfrastructure.JWT_SECRET);
        registry.add("herald.kafka.create-topics", () -> false);
        registry.add("herald.ingest.publish-timeout", () -> "2s");
    }

    @Autowired
    WebTestClient http;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void anUnreachableBrokerIsAServiceUnavailableProblemWithinThePublishTimeout() {
        long started = System.nanoTime();
        http.post()
                .uri("/api/v1/notifications")
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("notifications:write")))
                .bodyValue(Map.of("userId", "u-1", "templateId", "welcome"))
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "1")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aDuplicateArrivingWhileTheFirstIsStillRunningIsAConflictAndAFailureFreesTheKey() throws Exception {
        String key = "key-" + java.util.UUID.randomUUID();
        Map<String, String> body = Map.of("userId", "u-2", "templateId", "welcome");
        java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> submit(key, body).returnResult(String.class).getStatus().value());
        // the first now waits on the broker, holding the key (on a slow machine it may take a while to claim it)
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !redis.keys("herald:*:idempotency:" + key).isEmpty());

        submit(key, body)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .valueEquals("Retry-After", "1")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);

        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(503);
        // the failed attempt released its key: a retry runs again (and fails again, the broker still away)
        submit(key, body).expectStatus().isEqualTo(503);
    }

    @Test
    void aBatchWhoseItemsTheBrokerDidNotTakeIsNotKeptUnderItsKeySoARetryTriesAgain() {
        String key = "batch-" + java.util.UUID.randomUUID();
        Map<String, Object> batch =
                Map.of("notifications", java.util.List.of(Map.of("userId", "u-3", "templateId", "welcome")));
        for (int attempt = 0; attempt < 2; attempt++) {
            http.post()
                    .uri("/api/v1/notifications:batch")
                    .headers(h -> {
                        h.setBearerAuth(TestInfrastructure.token("notifications:write"));
                        h.set("Idempotency-Key", key);
                    })
                    .bodyValue(batch)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .doesNotExist("Idempotent-Replayed")
                    .expectBody()
                    .jsonPath("$.results[0].status")
                    .isEqualTo(503);
        }
    }

    private WebTestClient.ResponseSpec submit(String key, Map<String, String> body) {
        return http.post()
                .uri("/api/v1/notifications")
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("notifications:write")))
                .header("Idempotency-Key", key)
                .bodyValue(body)
                .exchange();
    }
}
