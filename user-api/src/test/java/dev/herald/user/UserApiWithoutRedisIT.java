package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testkit.TestInfrastructure;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Redis is only a cache: with no Redis at all, reads and writes still work and the failures are counted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class UserApiWithoutRedisIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        TestInfrastructure.freshDatabaseSchema(registry, "user_api_no_redis_it");
        registry.add("spring.data.redis.port", () -> 1); // nothing listens there
    }

    @Autowired
    WebTestClient http;

    @Test
    void readsAndWritesFallBackToPostgresAndCountTheCacheFailures() {
        String token = TestInfrastructure.token("users:read", "users:write");
        String id = "user-" + UUID.randomUUID();

        http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("email", "no-redis@example.com"))
                .exchange()
                .expectStatus()
                .isCreated();
        http.get()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.email")
                .isEqualTo("no-redis@example.com");

        String metrics = http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(metrics).contains("herald_users_cache_errors_total{operation=\"get\"} 1.0");
        assertThat(metrics).contains("herald_users_cache_errors_total{operation=\"evict\"} 1.0");
    }
}
