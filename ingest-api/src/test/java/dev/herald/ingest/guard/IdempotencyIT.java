package dev.herald.ingest.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.ingest.guard.Idempotency.Answer;
import dev.herald.ingest.submission.IngestProperties;
import dev.herald.testkit.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** Idempotency against a Redis server of its own: what becomes of a key when the client goes away. */
class IdempotencyIT {

    private static final RedisProcess redis = RedisProcess.start();
    private static final LettuceConnectionFactory factory = RedisConnections.started(redis);

    private final StringRedisTemplate keys = new StringRedisTemplate(factory);
    private final Idempotency idempotency = new Idempotency(
            new GuardConnection(factory),
            JsonMapper.builder().build(),
            new IngestProperties(
                    Duration.ofSeconds(5),
                    URI.create("http://localhost:8083"),
                    Duration.ofDays(30),
                    Duration.ofMinutes(5),
                    Duration.ofHours(24),
                    new IngestProperties.RateLimit(true, 10, 10, null)));

    @AfterAll
    static void stop() {
        factory.destroy();
        redis.close();
    }

    @Test
    void workWhoseClientHungUpRunsToItsEndAndARetryGetsItsAnswer() {
        Map<String, Object> body = Map.of("userId", "u-1", "templateId", "welcome");
        String client = "client-" + UUID.randomUUID();
        Idempotency.Claim claim = idempotency.claim(client, "key-1", body);
        keys.opsForValue().set(claim.redisKey(), claim.running());
        AtomicBoolean published = new AtomicBoolean();
        Answer accepted = new Answer(202, "http://localhost:8083/api/v1/notifications/1", "{\"id\":1}", false, true);

        Disposable request = idempotency
                .run(
                        claim,
                        null,
                        () -> Mono.delay(Duration.ofMillis(300))
                                .doOnNext(tick -> published.set(true))
                                .thenReturn(accepted))
                .subscribe();
        request.dispose(); // the client hangs up before the broker has answered

        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        String.valueOf(keys.opsForValue().get(claim.redisKey())).contains("\"status\":202"));
        assertThat(published).isTrue();

        // the retry gets the first answer, marked as replayed, and runs nothing
        String earlier = keys.opsForValue().get(claim.redisKey());
        StepVerifier.create(idempotency.run(
                        idempotency.claim(client, "key-1", body),
                        earlier,
                        () -> Mono.error(new AssertionError("ran twice"))))
                .assertNext(answer -> {
                    assertThat(answer.status()).isEqualTo(202);
                    assertThat(answer.replayed()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void workThatFailsFreesItsKey() {
        Idempotency.Claim claim = idempotency.claim("client-" + UUID.randomUUID(), "key-2", Map.of("a", 1));
        keys.opsForValue().set(claim.redisKey(), claim.running());

        StepVerifier.create(idempotency.run(claim, null, () -> Mono.error(new IllegalStateException("broker away"))))
                .expectErrorMessage("broker away")
                .verify(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> !keys.hasKey(claim.redisKey()));
    }
}
