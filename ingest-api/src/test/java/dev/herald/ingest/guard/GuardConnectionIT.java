package dev.herald.ingest.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testkit.RedisProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The guards' connection when Redis is not there yet (a Redis failure, and no failed attempt is remembered) and
 * when the connection factory closes the shared connection.
 */
class GuardConnectionIT {

    private static final RedisProcess redis = RedisProcess.start();
    private static final RedisScript<List> ECHO = RedisScript.of("return {1, ARGV[1]}", List.class);

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void commandsFailAsRedisFailuresUntilRedisIsUpThenConnect() {
        redis.stop();
        LettuceConnectionFactory factory = RedisConnections.started(redis);
        try {
            GuardConnection connection = new GuardConnection(factory);

            // requests arriving together while Redis is down all fail, as Redis failures the guards act on
            List<String> outcomes = Flux.range(0, 20)
                    .flatMap(i -> connection
                            .eval(ECHO, List.of("k"), List.of("a"))
                            .map(reply -> "answered")
                            .onErrorResume(e -> Mono.just(RedisFailure.is(e) ? "redis failure" : e.toString())))
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(outcomes).hasSize(20).containsOnly("redis failure");

            // once Redis is up, the next command connects: the failed attempts were not kept
            redis.restart();
            assertEchoes(connection, "a");
        } finally {
            factory.destroy();
        }
    }

    @Test
    void aConnectionTheFactoryClosedIsLetGoForItsReplacement() {
        LettuceConnectionFactory factory = RedisConnections.started(redis);
        try {
            GuardConnection connection = new GuardConnection(factory);
            assertEchoes(connection, "before");

            // closes the shared connection the guards hold; the factory opens a new one on its next use
            factory.resetConnection();

            assertEchoes(connection, "after");
        } finally {
            factory.destroy();
        }
    }

    private static void assertEchoes(GuardConnection connection, String value) {
        StepVerifier.create(connection.eval(ECHO, List.of("k"), List.of(value)))
                .assertNext(reply ->
                        assertThat(GuardConnection.string(reply.get(1))).isEqualTo(value))
                .verifyComplete();
    }
}
