package dev.herald.ingest.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.testkit.RedisProcess;
import io.lettuce.core.ClientOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The guards' connection when Redis is not there yet (a Redis failure, and no failed attempt is remembered) and
 * when the connection factory closes the shared connection; the warning about a Redis that evicts keys, on
 * connecting and on Lettuce's own reconnects.
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
                    .flatMap(i -> outcome(connection))
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
    void aConnectionTheFactoryClosedIsLetGoForItsReplacementUntilTheFactoryStops() {
        LettuceConnectionFactory factory = RedisConnections.started(redis);
        try {
            GuardConnection connection = new GuardConnection(factory);
            assertEchoes(connection, "before");

            // closes the shared connection the guards hold; the factory opens a new one on its next use
            factory.resetConnection();

            assertEchoes(connection, "after");

            // the app stopping stops the factory while requests may still be under way: they get the guards'
            // answer to a Redis failure (503 with a key, else let through), not a 500
            factory.stop();

            assertThat(outcome(connection).block(Duration.ofSeconds(10))).isEqualTo("redis failure");
        } finally {
            factory.destroy();
        }
    }

    @Test
    void warnsOnConnectingToARedisThatEvictsKeysWhenFull() {
        try {
            // the defaults: no memory limit, and noeviction
            assertThat(warningsOnConnecting(factory())).isEmpty();

            redis.config("maxmemory-policy", "allkeys-lru");
            // without a memory limit nothing is evicted (the policy applies once maxmemory is set)
            assertThat(warningsOnConnecting(factory())).isEmpty();

            redis.config("maxmemory", "64mb");
            assertThat(warningsOnConnecting(factory()))
                    .singleElement()
                    .asString()
                    .contains("maxmemory 67108864 bytes, maxmemory-policy allkeys-lru")
                    .contains("Give ingest-api a Redis with maxmemory-policy noeviction");

            // a connection the factory opened for another user (the health check, say) before the guards used it
            LettuceConnectionFactory used = factory();
            used.getConnection().close();
            assertThat(warningsOnConnecting(used)).singleElement().asString().contains("allkeys-lru");

            redis.config("maxmemory-policy", "volatile-ttl"); // every guard key has a time to live
            assertThat(warningsOnConnecting(factory()))
                    .singleElement()
                    .asString()
                    .contains("maxmemory-policy volatile-ttl");

            redis.config("maxmemory-policy", "noeviction");
            assertThat(warningsOnConnecting(factory())).isEmpty();
        } finally {
            redis.config("maxmemory", "0");
            redis.config("maxmemory-policy", "noeviction");
        }
    }

    @Test
    void connectsAndSaysSoWhenItMayNotReadRedisSettings() {
        assertThat(redis.command("ACL", "SETUSER", "guards", "on", ">secret", "~*", "&*", "+@all", "-config"))
                .startsWith("+OK");
        LettuceConnectionFactory factory = RedisConnections.started(redis, "guards", "secret");
        List<ILoggingEvent> logged = loggedOnConnecting(factory);
        assertThat(logged)
                .filteredOn(event -> event.getLevel() == Level.INFO)
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .startsWith("Could not read Redis's maxmemory-policy")
                .contains("NOPERM");
        assertThat(logged).noneMatch(event -> event.getLevel() == Level.WARN);
    }

    @Test
    void checksAgainWhenLettuceReconnectsByItself() {
        // as the apps' connections are set up: commands sent while not connected fail at once
        LettuceConnectionFactory factory = RedisConnections.started(
                redis,
                ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build());
        try (GuardLog log = new GuardLog()) {
            GuardConnection connection = new GuardConnection(factory);
            assertEchoes(connection, "connected");
            assertThat(warnings(log.afterChecks(1))).isEmpty();

            redis.config("maxmemory", "64mb");
            redis.config("maxmemory-policy", "allkeys-lru");
            // Redis drops the guards' connection, as a failover to a server set up otherwise would; Lettuce
            // reconnects on its own, without the factory handing out a new connection
            dropConnections();
            assertThat(warnings(log.afterChecks(2)))
                    .singleElement()
                    .asString()
                    .contains("maxmemory 67108864 bytes, maxmemory-policy allkeys-lru");

            // back to the same server, set up the same way: nothing new to say
            dropConnections();
            assertThat(warnings(log.afterChecks(3))).hasSize(1);

            redis.config("maxmemory-policy", "noeviction");
            dropConnections();
            assertThat(log.afterChecks(4))
                    .filteredOn(event -> event.getLevel() == Level.INFO)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("Redis keeps idempotency keys when full (maxmemory-policy noeviction, or no"
                            + " memory limit)");
            assertEchoes(connection, "reconnected");
        } finally {
            redis.config("maxmemory", "0");
            redis.config("maxmemory-policy", "noeviction");
            factory.destroy();
        }
    }

    /** Has Redis close its clients' connections, but for the one asking. */
    private static void dropConnections() {
        assertThat(redis.command("CLIENT", "KILL", "TYPE", "normal")).matches(":[1-9][0-9]*\r");
    }

    /** The warnings the guards log on connecting through {@code factory}, which they destroy afterwards. */
    private static List<String> warningsOnConnecting(LettuceConnectionFactory factory) {
        return warnings(loggedOnConnecting(factory));
    }

    private static List<String> warnings(List<ILoggingEvent> logged) {
        return logged.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /**
     * What the guards log on connecting through {@code factory}, which they destroy afterwards, until they have
     * checked Redis's settings (after the first command has its connection).
     */
    private static List<ILoggingEvent> loggedOnConnecting(LettuceConnectionFactory factory) {
        try (GuardLog log = new GuardLog()) {
            assertEchoes(new GuardConnection(factory), "connected");
            return log.afterChecks(1);
        } finally {
            factory.destroy();
        }
    }

    /** What {@link GuardConnection} logs, at DEBUG, from its creation until it is closed. */
    private static final class GuardLog implements AutoCloseable {

        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Logger logger = (Logger) LoggerFactory.getLogger(GuardConnection.class);
        private final Level level = logger.getLevel();

        GuardLog() {
            logger.setLevel(Level.DEBUG);
            appender.start();
            logger.addAppender(appender);
        }

        /** Everything logged, once the guards have ended {@code checks} checks of Redis's settings (10 s at most). */
        List<ILoggingEvent> afterChecks(int checks) {
            await().atMost(Duration.ofSeconds(10)).until(() -> checksEnded() >= checks);
            return List.copyOf(appender.list);
        }

        private long checksEnded() {
            return List.copyOf(appender.list).stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.startsWith("Redis's memory settings")
                            || message.startsWith("Could not read Redis's"))
                    .count();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }

    private static LettuceConnectionFactory factory() {
        return RedisConnections.started(redis);
    }

    /** What became of one command: answered, a Redis failure the guards act on, or another failure. */
    private static Mono<String> outcome(GuardConnection connection) {
        return connection
                .eval(ECHO, List.of("k"), List.of("a"))
                .map(reply -> "answered")
                .onErrorResume(e -> Mono.just(RedisFailure.is(e) ? "redis failure" : e.toString()));
    }

    private static void assertEchoes(GuardConnection connection, String value) {
        StepVerifier.create(connection.eval(ECHO, List.of("k"), List.of(value)))
                .assertNext(reply ->
                        assertThat(GuardConnection.string(reply.get(1))).isEqualTo(value))
                .verifyComplete();
    }
}
