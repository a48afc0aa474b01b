package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.Blackhole;
import dev.herald.testkit.Postgres;
import dev.herald.testkit.TcpProxy;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
 * succeeds and is published once. A table held locked gets the same 503 once the statement timeout (here 2 s) is
 * up, and a database gone silent (packets to the proxy dropped) once the network timeout (here 3 s) is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class DatabaseOutageIT {

    private static final Blackhole silence = new Blackhole("127.0.0.2");

    private static final TcpProxy database = silence.proxy(
            TestInfrastructure.postgres().host(), TestInfrastructure.postgres().port());

    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(3);

    private static String schema;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        schema = TestInfrastructure.freshDatabaseSchema(registry, "user_api_db_outage_it");
        registry.add("herald.database.statement-timeout", STATEMENT_TIMEOUT::toString);
        registry.add("herald.database.network-timeout", NETWORK_TIMEOUT::toString);
        Postgres proxied = new Postgres(
                database.host(), database.port(), TestInfrastructure.postgres().user());
        // the app's connections (requests and the outbox relay) go through the proxy; migrations do not
        registry.add("spring.r2dbc.url", () -> proxied.r2dbcUrl("test", schema));
        registry.add("herald.users.cache.key-prefix", () -> "herald-test:" + UUID.randomUUID() + ":");
    }

    @AfterAll
    static void closeProxy() {
        silence.close();
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
                unavailable(get("db-outage-" + UUID.randomUUID()));
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

            putOnceTheDatabaseIsBack(during, HttpStatus.CREATED);
            assertThat(users.await(r -> during.equals(r.key()), 1, Duration.ofSeconds(20)))
                    .singleElement()
                    .satisfies(r -> assertThat(r.value().email()).isEqualTo("ana@example.com"));
            // the refused write left nothing to publish: one record for the key, a while later still
            assertThat(users.readFor(Duration.ofSeconds(3), r -> during.equals(r.key())))
                    .hasSize(1);
        }
    }

    @Test
    void aStatementHeldUpPastTheStatementTimeoutGets503AndTheWriteSucceedsOnceTheLockIsGone() throws SQLException {
        String id = "db-locked-" + UUID.randomUUID();
        put(id).expectStatus().isCreated();
        Postgres postgres = TestInfrastructure.postgres();
        try (Connection locker = DriverManager.getConnection(postgres.jdbcUrl("test"), postgres.user(), "")) {
            // a migration or a forgotten transaction: nobody else may read or write the table
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE " + schema + ".users IN ACCESS EXCLUSIVE MODE");
            }
            long started = System.nanoTime();
            unavailable(get("db-locked-" + UUID.randomUUID()));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(STATEMENT_TIMEOUT)
                    .isLessThan(STATEMENT_TIMEOUT.multipliedBy(4));
            unavailable(put(id));
            locker.rollback();
        }
        put(id).expectStatus().isOk();
    }

    @Test
    void aDatabaseGoneSilentFailsTheQueryOnItsOpenConnectionWithinTheNetworkTimeout() {
        String id = "db-silent-" + UUID.randomUUID();
        // the pool's connections are open and idle: the next query goes out on one of them
        put(id).expectStatus().isCreated();
        assumeTrue(silence.drop(), "dropping packets needs the right to change routes (root, Linux)");
        try {
            long started = System.nanoTime();
            unavailable(get("db-silent-" + UUID.randomUUID()));
            // TCP alone would retransmit for about 15 minutes before giving the connection up
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(NETWORK_TIMEOUT.multipliedBy(3));
        } finally {
            silence.restore();
        }
        putOnceTheDatabaseIsBack(id, HttpStatus.OK);
    }

    /** Retries the PUT of {@code id} until it gets {@code expected}: the pool replaces its lost connections. */
    private void putOnceTheDatabaseIsBack(String id, HttpStatus expected) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> put(id).expectStatus().isEqualTo(expected));
    }

    private WebTestClient.ResponseSpec get(String id) {
        return http.get()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange();
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
