package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.Postgres;
import dev.herald.testkit.TcpProxy;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * PostgreSQL taken away from user-api mid-test (its connections go through a proxy the test cuts): requests get
 * 503 with {@code Retry-After} at once instead of a 500 or a hang, and once the database is back the same write
 * succeeds and is published once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class DatabaseOutageIT {

    private static final TcpProxy database = TcpProxy.to(
            TestInfrastructure.postgres().host(), TestInfrastructure.postgres().port());

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        String schema = TestInfrastructure.freshDatabaseSchema(registry, "user_api_db_outage_it");
        Postgres proxied = new Postgres(
                "127.0.0.1", database.port(), TestInfrastructure.postgres().user());
        // the app's connections (requests and the outbox relay) go through the proxy; migrations do not
        registry.add("spring.r2dbc.url", () -> proxied.r2dbcUrl("test", schema));
        registry.add("herald.users.cache.key-prefix", () -> "herald-test:" + UUID.randomUUID() + ":");
    }

    @AfterAll
    static void closeProxy() {
        database.close();
    }

    @Autowired
    WebTestClient http;

    private final String token = TestInfrastructure.token("users:read", "users:write");

    @Test
    void withoutTheDatabaseRequestsGet503AndTheWriteSucceedsOnceWhenItIsBack() {
        String before = "db-outage-" + UUID.randomUUID();
        String during = "db-outage-" + UUID.randomUUID();
        try (TopicProbe<String, UserProfile> users =
                TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.USERS)) {
            put(before).expectStatus().isCreated();

            database.cut();
            try {
                long started = System.nanoTime();
                unavailable(http.get()
                        .uri("/api/v1/users/{id}", "db-outage-" + UUID.randomUUID())
                        .headers(h -> h.setBearerAuth(token))
                        .exchange());
                unavailable(put(during));
                // a batch import answers per item: each item the database could not take is a 503 problem
                http.post()
                        .uri("/api/v1/users:batch")
                        .headers(h -> h.setBearerAuth(token))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("users", List.of(Map.of("id", during, "email", "ana@example.com"))))
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.results[0].status")
                        .isEqualTo(503)
                        .jsonPath("$.results[0].problem.detail")
                        .isEqualTo("The database is not available right now; retry the request.");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            } finally {
                database.restore();
            }

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> put(during).expectStatus().isCreated());
            assertThat(users.await(r -> during.equals(r.key()), 1, Duration.ofSeconds(20)))
                    .singleElement()
                    .satisfies(r -> assertThat(r.value().email()).isEqualTo("ana@example.com"));
            // the refused write left nothing to publish: one record for the key, a while later still
            assertThat(users.readFor(Duration.ofSeconds(3), r -> during.equals(r.key())))
                    .hasSize(1);
        }
    }

    private WebTestClient.ResponseSpec put(String id) {
        return http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ana@example.com"))
                .exchange();
    }

    private static void unavailable(WebTestClient.ResponseSpec response) {
        response.expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The database is not available right now; retry the request.");
    }
}
