package dev.herald.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The topology on a real broker with exactly-once processing, and the status query API over its store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class EnrichStreamIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        String run = UUID.randomUUID().toString();
        registry.add("spring.kafka.streams.application-id", () -> "enrich-it-" + run);
        registry.add("spring.kafka.streams.state-dir", () -> "target/streams-state/" + run);
    }

    @Autowired
    WebTestClient http;

    private final String reader = TestInfrastructure.token("notifications:read");

    @Test
    void aRequestIsDispatchedOnTheBrokerAndItsStatusCanBeQueried() {
        String userId = "ana-" + UUID.randomUUID();
        send(Topics.USERS, userId, withId(Fixtures.ana(), userId));
        send(Topics.TEMPLATES, "order-shipped", Fixtures.orderShipped());
        NotificationRequest request =
                Fixtures.withMetadata(Fixtures.request(userId, "order-shipped"), Map.of("campaign", "autumn"));

        EmailMessage first = awaitFirstEmail(userId, "any-key");
        assertThat(first.subject()).isEqualTo("Pedido A-17 enviado");
        send(Topics.REQUESTS, userId, request);
        try (TopicProbe<String, EmailMessage> emails = TopicProbe.of(
                TestInfrastructure.broker().bootstrapServers(), Topics.emailDeliveries(Priority.NORMAL))) {
            emails.await(r -> r.value().notificationId().equals(request.id()), 1, Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> http.get()
                        .uri("/api/v1/notifications/{id}", request.id())
                        .headers(h -> h.setBearerAuth(reader))
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.id")
                        .isEqualTo(request.id().toString())
                        .jsonPath("$.userId")
                        .isEqualTo(userId)
                        .jsonPath("$.status")
                        .isEqualTo("DISPATCHED")
                        .jsonPath("$.channels.email.status")
                        .isEqualTo("DISPATCHED")
                        .jsonPath("$.channels.push.status")
                        .isEqualTo("DISPATCHED")
                        .jsonPath("$.history.length()")
                        .isEqualTo(3)
                        .jsonPath("$.metadata.campaign")
                        .isEqualTo("autumn"));
    }

    @Test
    void anUnreadableTemplateOrUserRecordIsSkippedAndTheTopologyKeepsServing() {
        String userId = "bo-" + UUID.randomUUID();
        Topic<String, byte[]> rawTemplates =
                new Topic<>(Topics.TEMPLATES.name(), Serdes.String(), Serdes.ByteArray(), Map.of());
        TestInfrastructure.send(rawTemplates, "broken-template", "{\"id\":".getBytes(StandardCharsets.UTF_8));
        Topic<String, byte[]> rawUsers =
                new Topic<>(Topics.USERS.name(), Serdes.String(), Serdes.ByteArray(), Map.of());
        TestInfrastructure.send(rawUsers, userId, "not a profile".getBytes(StandardCharsets.UTF_8));
        send(Topics.USERS, userId, withId(Fixtures.ana(), userId));
        send(Topics.TEMPLATES, "order-shipped", Fixtures.orderShipped());

        awaitFirstEmail(userId, userId);
        try (TopicProbe<byte[], byte[]> dlq =
                TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.NOTIFICATIONS_DLQ)) {
            List<ConsumerRecord<byte[], byte[]>> dead = dlq.await(
                    r -> r.key() != null
                            && Set.of("broken-template", userId).contains(new String(r.key(), StandardCharsets.UTF_8)),
                    2,
                    Duration.ofSeconds(30));
            assertThat(dead)
                    .extracting(r -> new String(
                            r.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("templates", "users");
        }
    }

    @Test
    void anUnknownNotificationIsNotFoundAndAMalformedIdIsABadRequest() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> http.get()
                        .uri("/api/v1/notifications/{id}", UUID.randomUUID())
                        .headers(h -> h.setBearerAuth(reader))
                        .exchange()
                        .expectStatus()
                        .isNotFound()
                        .expectHeader()
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON));
        http.get()
                .uri("/api/v1/notifications/not-a-uuid")
                .headers(h -> h.setBearerAuth(reader))
                .exchange()
                .expectStatus()
                .isBadRequest();
        http.get()
                .uri("/api/v1/notifications/{id}", UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isUnauthorized();
        // reading needs the read scope: a token that may only write is refused
        http.get()
                .uri("/api/v1/notifications/{id}", UUID.randomUUID())
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("notifications:write")))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // the OpenAPI document says so
        http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath(
                        "$.paths['/api/v1/notifications/{id}'].get.responses['404'].content['application/problem+json']")
                .exists()
                .jsonPath("$.paths['/api/v1/notifications/{id}'].get.responses['503']")
                .exists();
    }

    /**
     * Sends requests for {@code userId}'s order until one comes out as an email, and returns it. The user and
     * template tables may still be loading what the test just wrote: until then a request is rejected.
     */
    private static EmailMessage awaitFirstEmail(String userId, String key) {
        try (TopicProbe<String, EmailMessage> emails = TopicProbe.of(
                TestInfrastructure.broker().bootstrapServers(), Topics.emailDeliveries(Priority.NORMAL))) {
            return await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(
                            () -> {
                                NotificationRequest attempt = Fixtures.request(userId, "order-shipped");
                                send(Topics.REQUESTS, key, attempt);
                                try {
                                    return emails.await(
                                                    r -> r.value()
                                                            .notificationId()
                                                            .equals(attempt.id()),
                                                    1,
                                                    Duration.ofSeconds(3))
                                            .getFirst()
                                            .value();
                                } catch (AssertionError notYet) {
                                    return null;
                                }
                            },
                            java.util.Objects::nonNull);
        }
    }

    private static dev.herald.schemas.UserProfile withId(dev.herald.schemas.UserProfile user, String id) {
        return new dev.herald.schemas.UserProfile(
                id,
                user.email(),
                user.emailStatus(),
                user.locale(),
                user.timeZone(),
                user.devices(),
                user.preferences(),
                user.updatedAt(),
                user.revision());
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        TestInfrastructure.send(topic, key, value);
    }
}
