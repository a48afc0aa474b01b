package dev.herald.testkit;

import dev.herald.schemas.kafka.Topics;
import java.time.Duration;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every integration test of a test JVM shares: one in-process broker holding the whole topic
 * catalogue, the machine's PostgreSQL, and a JWT secret with a way to mint tokens for it.
 */
public final class TestInfrastructure {

    /** The HMAC secret tests configure Herald's APIs with. */
    public static final String JWT_SECRET = "herald-test-secret-herald-test-secret-0123456789";

    /** Partitions of every catalogue topic on the test broker. */
    public static final int PARTITIONS = 2;

    private static KafkaBroker broker;

    private TestInfrastructure() {}

    /** The shared broker, started on first use and stopped when the JVM exits. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = KafkaBroker.start(0);
            broker.createTopics(Topics.all(), PARTITIONS);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-broker-shutdown"));
        }
        return broker;
    }

    /** The machine's PostgreSQL. */
    public static Postgres postgres() {
        return Postgres.local();
    }

    /** Points a Spring Boot app under test at the shared broker and the test JWT secret. */
    public static void kafkaAndSecurity(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> broker().bootstrapServers());
        registry.add("herald.security.jwt.hmac-secret", () -> JWT_SECRET);
        registry.add("herald.kafka.partitions", () -> PARTITIONS);
        registry.add("herald.kafka.replication-factor", () -> 1);
    }

    /**
     * Points a Spring Boot app under test at an empty {@code schema} of the {@code test} database, which
     * Flyway then migrates. Each test class that starts its own application context needs its own schema.
     */
    public static void freshDatabaseSchema(DynamicPropertyRegistry registry, String schema) {
        Postgres postgres = postgres();
        postgres.dropSchema("test", schema);
        registry.add("spring.r2dbc.url", () -> postgres.r2dbcUrl("test", schema));
        registry.add("spring.r2dbc.username", postgres::user);
        registry.add("spring.flyway.url", () -> postgres.jdbcUrl("test"));
        registry.add("spring.flyway.user", postgres::user);
        registry.add("spring.flyway.schemas", () -> schema);
    }

    /** A bearer token for client {@code test-client} with exactly {@code scopes}. */
    public static String token(String... scopes) {
        return Tokens.mint(JWT_SECRET, "test-client", List.of(scopes), Duration.ofHours(1));
    }
}
