package dev.herald.testkit;

import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

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
     * Points a Spring Boot app under test at an empty schema of the {@code test} database, which Flyway then
     * migrates: {@code schema} suffixed with this JVM's process id, so two test runs on one machine never share
     * one. Schemas left by earlier runs whose JVM is gone are dropped. Each test class that starts its own
     * application context needs its own schema.
     *
     * @return the schema's name
     */
    public static String freshDatabaseSchema(DynamicPropertyRegistry registry, String name) {
        Postgres postgres = postgres();
        postgres.dropSchemasOfEndedRuns("test", name);
        String schema = name + "_" + ProcessHandle.current().pid();
        postgres.dropSchema("test", schema);
        registry.add("spring.r2dbc.url", () -> postgres.r2dbcUrl("test", schema));
        registry.add("spring.r2dbc.username", postgres::user);
        registry.add("spring.flyway.url", () -> postgres.jdbcUrl("test"));
        registry.add("spring.flyway.user", postgres::user);
        registry.add("spring.flyway.schemas", () -> schema);
        return schema;
    }

    /** Writes one record to {@code topic} on the shared broker, with the topic's serdes, and waits for the ack. */
    public static <K, V> void send(Topic<K, V> topic, K key, V value) {
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers()),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for at least {@code count} status events of notification {@code id} on the shared broker and
     * returns them in the order written.
     */
    public static List<StatusEvent> statusEvents(UUID id, int count, Duration timeout) {
        try (TopicProbe<String, StatusEvent> status = TopicProbe.of(broker().bootstrapServers(), Topics.STATUS)) {
            return status.await(r -> r.value().notificationId().equals(id), count, timeout).stream()
                    .map(ConsumerRecord::value)
                    .toList();
        }
    }

    /** A bearer token for client {@code test-client} with exactly {@code scopes}. */
    public static String token(String... scopes) {
        return Tokens.mint(JWT_SECRET, "test-client", List.of(scopes), Duration.ofHours(1));
    }

    /** The app's metrics in Prometheus' text format, fetched without a token (they are public). */
    public static String prometheus(WebTestClient http) {
        return http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    /** The app's OpenAPI document, fetched without a token (it is public), for JSON path assertions. */
    public static WebTestClient.BodyContentSpec openApiDocument(WebTestClient http) {
        return http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody();
    }
}
