package dev.herald.user.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.HeraldJson;
import dev.herald.testkit.RedisProcess;
import dev.herald.testkit.TcpProxy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The cache on its own, cut off from a Redis that keeps what it cached (a network partition): what a write Redis
 * could not be told of leaves behind. Each test sets its own repair interval, so that the reads in between are
 * not raced by a repair.
 */
class UserCacheIT {

    private static final RedisProcess redis = RedisProcess.start();

    /** The cache reaches Redis through this; the test reads and writes Redis directly, as another instance would. */
    private static final TcpProxy link = TcpProxy.to("127.0.0.1", redis.port());

    private static final LettuceConnectionFactory direct = factory(redis.port());

    private static final ReactiveStringRedisTemplate redisDirect = new ReactiveStringRedisTemplate(direct);

    private static final String PREFIX = "herald-test:" + UUID.randomUUID() + ":";

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    /** The last cache's own link to Redis. */
    private ReactiveStringRedisTemplate cacheLink;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeAfter.reversed()) {
            closeable.close();
        }
    }

    @AfterAll
    static void stopRedis() {
        direct.destroy();
        link.close();
        redis.close();
    }

    @Test
    void aWriteRedisCouldNotBeToldOfIsNotReadFromItOnceItAnswersAgain() {
        MeterRegistry meters = new SimpleMeterRegistry();
        UserCache cache = cache(Duration.ofHours(1), 10, meters);
        String id = writtenWhileCutOff(cache, () -> {});
        // the cache's own connection answers again
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> cacheLink.hasKey(PREFIX + id).block(Duration.ofSeconds(1)));

        assertThat(entry(id)).as("what Redis holds").contains("old@example.com");
        assertThat(cache.get(id).blockOptional()).as("what the cache reads").isEmpty();
        assertThat(meters.get("herald.users.cache.unrefreshed").gauge().value()).isEqualTo(1);
        assertThat(meters.get("herald.users.cache.errors")
                        .tag("operation", "store")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void theRepairDropsEntriesOlderThanTheWritesAndNeverWritesAProfile() {
        MeterRegistry meters = new SimpleMeterRegistry();
        UserCache cache = cache(Duration.ofMillis(200), 10, meters);
        String older = "user-" + UUID.randomUUID();
        String expired = "user-" + UUID.randomUUID();
        String newer = "user-" + UUID.randomUUID();
        for (String id : List.of(older, expired, newer)) {
            cache.put(profile(id, "old@example.com", 1)).block();
        }

        link.cut();
        try {
            cache.store(List.of(
                            profile(older, "new@example.com", 2),
                            profile(expired, "new@example.com", 2),
                            profile(newer, "new@example.com", 2)))
                    .block();
            assertThat(meters.get("herald.users.cache.unrefreshed").gauge().value())
                    .isEqualTo(3);
            // meanwhile the entry expires, and another instance writes a later profile
            redisDirect.delete(PREFIX + expired).block();
            redisDirect
                    .opsForValue()
                    .set(PREFIX + newer, "3:" + json(profile(newer, "later@example.com", 3)))
                    .block();
        } finally {
            link.restore();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        meters.get("herald.users.cache.unrefreshed").gauge().value() == 0);

        assertThat(entry(older)).as("an entry older than the write").isNull();
        assertThat(entry(expired)).as("an entry gone meanwhile").isNull();
        assertThat(entry(newer)).as("an entry newer than the write").contains("later@example.com");
        assertThat(cache.get(older).blockOptional()).isEmpty();
        assertThat(cache.get(newer).block().email()).isEqualTo("later@example.com");
    }

    @Test
    void aRepairThatFailsWhileRedisIsAwayIsCountedAndTriedAgainUntilItAnswers() {
        MeterRegistry meters = new SimpleMeterRegistry();
        UserCache cache = cache(Duration.ofMillis(200), 10, meters);
        String id = writtenWhileCutOff(cache, () -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> repairFailures(meters) >= 2);
            assertThat(meters.get("herald.users.cache.unrefreshed").gauge().value())
                    .isEqualTo(1);
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        meters.get("herald.users.cache.unrefreshed").gauge().value() == 0);

        assertThat(entry(id)).as("the entry older than the write").isNull();
    }

    /**
     * A new user cached at revision 1 (old@example.com) and written at revision 2 (new@example.com) while {@code
     * cache} is cut off from Redis; {@code whileCut} runs before the link is restored.
     */
    private static String writtenWhileCutOff(UserCache cache, Runnable whileCut) {
        String id = "user-" + UUID.randomUUID();
        cache.put(profile(id, "old@example.com", 1)).block();
        link.cut();
        try {
            cache.store(List.of(profile(id, "new@example.com", 2))).block();
            whileCut.run();
        } finally {
            link.restore();
        }
        return id;
    }

    private static double repairFailures(MeterRegistry meters) {
        var counter = meters.find("herald.users.cache.errors")
                .tag("operation", "repair")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private UserCache cache(Duration repairInterval, int maxUnrefreshed, MeterRegistry meters) {
        LettuceConnectionFactory factory = factory(link.port());
        closeAfter.add(factory::destroy);
        cacheLink = new ReactiveStringRedisTemplate(factory);
        UserCache cache = new UserCache(
                cacheLink,
                new UserCacheProperties(PREFIX, Duration.ofMinutes(10), repairInterval, maxUnrefreshed),
                meters);
        closeAfter.add(cache::destroy);
        return cache;
    }

    /** A connection factory set as user-api's configuration sets it: 500 ms to connect and per command. */
    private static LettuceConnectionFactory factory(int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofMillis(500))
                        .clientOptions(ClientOptions.builder()
                                .socketOptions(SocketOptions.builder()
                                        .connectTimeout(Duration.ofMillis(500))
                                        .build())
                                .build())
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    private static String entry(String id) {
        return redisDirect.opsForValue().get(PREFIX + id).block(Duration.ofSeconds(2));
    }

    private static UserProfile profile(String id, String email, long revision) {
        return new UserProfile(id, email, null, null, null, null, null, Instant.now(), revision);
    }

    private static String json(UserProfile profile) {
        return HeraldJson.mapper().writeValueAsString(profile);
    }
}
