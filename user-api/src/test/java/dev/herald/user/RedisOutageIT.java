package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.schemas.UserProfile;
import dev.herald.testkit.RedisProcess;
import dev.herald.testkit.TcpProxy;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.user.cache.UserCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Redis is only a cache: stopping it or cutting the app off from it mid-test costs reads and writes nothing, the
 * cache comes back, and what was written meanwhile is not served stale from it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class RedisOutageIT {

    /** A redis-server of its own, so stopping it disturbs no other test. */
    private static final RedisProcess redis = RedisProcess.start();

    /** The app reaches Redis through this, so that a test can cut it off while Redis keeps what it cached. */
    private static final TcpProxy redisLink = TcpProxy.to("127.0.0.1", redis.port());

    private static final String PREFIX = "herald-test:" + UUID.randomUUID() + ":";

    /** Writes whose cache update failed that the app remembers one by one. */
    private static final int MAX_UNREFRESHED = 2;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        TestInfrastructure.freshDatabaseSchema(registry, "user_api_redis_it");
        registry.add("spring.data.redis.port", redisLink::port);
        registry.add("herald.users.cache.key-prefix", () -> PREFIX);
        registry.add("herald.users.cache.max-unrefreshed", () -> MAX_UNREFRESHED);
    }

    @AfterAll
    static void stopRedis() {
        redisLink.close();
        redis.close();
    }

    @Autowired
    WebTestClient http;

    @Autowired
    ReactiveStringRedisTemplate redisTemplate;

    @Autowired
    UserCache cache;

    @Autowired
    MeterRegistry meters;

    private final String token = TestInfrastructure.token("users:read", "users:write");

    @Test
    void readsAndWritesKeepWorkingWhileRedisIsDownAndTheCacheResumesAfter() {
        String id = cachedUser("before@example.com");

        redis.stop();
        assertThat(email(id)).isEqualTo("before@example.com");
        put(id, "during@example.com").expectStatus().isOk();
        assertThat(email(id)).isEqualTo("during@example.com");
        String metrics = TestInfrastructure.prometheus(http);
        assertThat(metrics).containsPattern("herald_users_cache_errors_total\\{operation=\"get\"\\} [1-9]");
        assertThat(metrics).containsPattern("herald_users_cache_errors_total\\{operation=\"store\"\\} [1-9]");
        // an unreachable Redis is not asked a second time to drop what it could not replace
        assertThat(metrics).contains("herald_users_cache_errors_total{operation=\"drop\"} 0.0");

        redis.restart(); // empty: what it cached is gone
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(email(id)).isEqualTo("during@example.com");
            assertThat(cached(id)).isTrue();
        });
    }

    /**
     * Redis cut off from the app keeps what it cached (as after a network partition, or a Redis that keeps its data
     * across a restart): the profiles of users written meanwhile must not be served from it once it is back.
     */
    @Test
    void writesRedisCouldNotBeAskedToCacheAreNotServedStaleOnceItIsBack() {
        awaitNothingUnrefreshed();
        List<String> ids = List.of(cachedUser("a@example.com"), cachedUser("b@example.com"));

        redisLink.cut();
        try {
            for (String id : ids) {
                put(id, "new-" + id + "@example.com").expectStatus().isOk();
            }
            assertThat(unrefreshed()).isEqualTo(ids.size());
            assertThat(entry(ids.get(0))).as("what Redis holds").contains("a@example.com");
            assertThat(entry(ids.get(1))).as("what Redis holds").contains("b@example.com");
        } finally {
            redisLink.restore();
        }

        awaitNothingUnrefreshed();
        for (String id : ids) {
            assertThat(entry(id)).as("the profile cached before the write").isNull();
            assertThat(email(id)).isEqualTo("new-" + id + "@example.com");
            assertThat(entry(id)).contains("new-" + id + "@example.com");
        }
    }

    /** Past {@code max-unrefreshed} such writes, every cached profile is cleared once Redis is back. */
    @Test
    void pastTheWritesItRemembersEveryCachedProfileIsClearedOnceRedisIsBack() {
        awaitNothingUnrefreshed();
        String untouched = cachedUser("untouched@example.com");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= MAX_UNREFRESHED; i++) {
            ids.add(cachedUser("old@example.com"));
        }

        redisLink.cut();
        try {
            for (String id : ids) {
                put(id, "new@example.com").expectStatus().isOk();
            }
            for (String id : ids) {
                assertThat(email(id)).isEqualTo("new@example.com");
            }
            assertThat(clearing()).isEqualTo(1);
        } finally {
            redisLink.restore();
        }

        Instant until = Instant.now().plusSeconds(3);
        while (Instant.now().isBefore(until)) {
            for (String id : ids) {
                assertThat(email(id)).isEqualTo("new@example.com");
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(entry(untouched)).as("a profile no write touched").isNull();
            assertThat(unrefreshed()).isZero();
            assertThat(clearing()).isZero();
        });
        for (String id : ids) {
            assertThat(email(id)).isEqualTo("new@example.com");
            assertThat(entry(id)).contains("new@example.com");
        }
        assertThat(email(untouched)).isEqualTo("untouched@example.com");
    }

    @Test
    void aWriteWhileRedisIsFullDropsTheCachedProfileSoReadsGetTheNewOne() {
        String id = cachedUser("before@example.com");

        // full under noeviction: Redis refuses to replace the entry, and still deletes it
        redis.config("maxmemory", "1");
        try {
            put(id, "during@example.com").expectStatus().isOk();
            assertThat(cached(id)).isFalse();
            assertThat(email(id)).isEqualTo("during@example.com");
        } finally {
            redis.config("maxmemory", "0");
        }
        assertThat(email(id)).isEqualTo("during@example.com");
        assertThat(cached(id)).isTrue();
    }

    @Test
    void aSlowReadCannotPutAnOlderProfileBackOverANewerOneOrADeletion() {
        String id = "user-" + UUID.randomUUID();
        cache.store(List.of(profile(id, "new@example.com", 10))).block();
        cache.put(profile(id, "old@example.com", 9)).block();
        assertThat(cache.get(id).block().email()).isEqualTo("new@example.com");

        cache.forget(id, 11).block();
        assertThat(cache.get(id).blockOptional()).isEmpty();
        cache.put(profile(id, "new@example.com", 10)).block();
        assertThat(cache.get(id).blockOptional()).isEmpty();
        cache.put(profile(id, "recreated@example.com", 12)).block();
        assertThat(cache.get(id).block().email()).isEqualTo("recreated@example.com");
    }

    private static UserProfile profile(String id, String email, long revision) {
        return new UserProfile(id, email, null, null, null, null, null, Instant.now(), revision);
    }

    /** A new user with {@code email}, read once so that its profile is cached. */
    private String cachedUser(String email) {
        String id = "user-" + UUID.randomUUID();
        put(id, email).expectStatus().isCreated();
        assertThat(email(id)).isEqualTo(email);
        assertThat(cached(id)).isTrue();
        return id;
    }

    /** The cache entry of user {@code id} as Redis holds it, read past the app's link to it. */
    private static String entry(String id) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().get(PREFIX + id);
        } finally {
            client.shutdown();
        }
    }

    private double unrefreshed() {
        return meters.get("herald.users.cache.unrefreshed").gauge().value();
    }

    private double clearing() {
        return meters.get("herald.users.cache.clearing").gauge().value();
    }

    private void awaitNothingUnrefreshed() {
        await().atMost(Duration.ofSeconds(60)).until(() -> unrefreshed() == 0);
    }

    private boolean cached(String id) {
        return Boolean.TRUE.equals(redisTemplate.hasKey(PREFIX + id).block(Duration.ofSeconds(2)));
    }

    private WebTestClient.ResponseSpec put(String id, String email) {
        return http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("email", email))
                .exchange();
    }

    private String email(String id) {
        return http.get()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(UserProfile.class)
                .returnResult()
                .getResponseBody()
                .email();
    }
}
