package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.schemas.EmailFeedback;
import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** user-api consumes what the sinks learn: dead push tokens and bounced or complained-about addresses. */
class FeedbackIT extends UserApiTestBase {

    private static final Duration APPLIED = Duration.ofSeconds(20);

    @Test
    void aTokenFcmRefusedIsRemovedAndTheProfilePublishedAgain() {
        String id = newId();
        String dead = "dead-" + id;
        String alive = "alive-" + id;
        put(id, Map.of("devices", List.of(device(dead, "android"), device(alive, "ios"))))
                .expectStatus()
                .isCreated();

        TestInfrastructure.send(
                Topics.INVALID_DEVICES,
                id,
                new InvalidDevice(id, dead, "UNREGISTERED", UUID.randomUUID(), Instant.now()));

        await().atMost(APPLIED)
                .untilAsserted(() -> assertThat(profile(id).devices())
                        .extracting(UserProfile.Device::token)
                        .containsExactly(alive));
        assertThat(published(id, 2).getLast().value().devices())
                .extracting(UserProfile.Device::token)
                .containsExactly(alive);
    }

    @Test
    void aTokenRegisteredAgainAfterFcmRefusedItStays() {
        String id = newId();
        String token = "again-" + id;
        Instant refusedAt = Instant.now();
        put(id, Map.of()).expectStatus().isCreated();
        post("/api/v1/users/{id}/devices", device(token, "android"), id)
                .expectStatus()
                .isCreated();

        TestInfrastructure.send(
                Topics.INVALID_DEVICES,
                id,
                new InvalidDevice(id, token, "UNREGISTERED", null, refusedAt.minusSeconds(5)));
        // a later report about the same token, handled after the first, proves the first was handled
        String marker = "marker-" + id;
        post("/api/v1/users/{id}/devices", device(marker, "web"), id)
                .expectStatus()
                .isCreated();
        TestInfrastructure.send(
                Topics.INVALID_DEVICES, id, new InvalidDevice(id, marker, "UNREGISTERED", null, Instant.now()));

        await().atMost(APPLIED)
                .untilAsserted(() -> assertThat(profile(id).devices())
                        .extracting(UserProfile.Device::token)
                        .containsExactly(token));
    }

    @Test
    void bouncesAndComplaintsMarkTheAddressOnlyIfItIsStillTheUsers() {
        String id = newId();
        put(id, Map.of("email", "Bouncy@example.com")).expectStatus().isCreated();

        TestInfrastructure.send(
                Topics.EMAIL_FEEDBACK,
                id,
                new EmailFeedback(
                        id,
                        "bouncy@example.com",
                        EmailFeedback.Type.BOUNCED,
                        "550 5.1.1",
                        UUID.randomUUID(),
                        Instant.now()));
        await().atMost(APPLIED)
                .untilAsserted(() -> assertThat(profile(id).emailStatus()).isEqualTo(UserProfile.EmailStatus.BOUNCED));
        UserProfile published = published(id, 2).getLast().value();
        assertThat(published.emailStatus()).isEqualTo(UserProfile.EmailStatus.BOUNCED);
        assertThat(published.reachableByEmail()).isFalse();

        put(id, Map.of("email", "fixed@example.com")).expectStatus().isOk();
        TestInfrastructure.send(
                Topics.EMAIL_FEEDBACK,
                id,
                new EmailFeedback(id, "bouncy@example.com", EmailFeedback.Type.COMPLAINED, null, null, Instant.now()));
        TestInfrastructure.send(
                Topics.EMAIL_FEEDBACK,
                id,
                new EmailFeedback(id, "fixed@example.com", EmailFeedback.Type.COMPLAINED, null, null, Instant.now()));
        await().atMost(APPLIED)
                .untilAsserted(
                        () -> assertThat(profile(id).emailStatus()).isEqualTo(UserProfile.EmailStatus.COMPLAINED));
        // three versions: created, bounced, new address, complained; the stale complaint changed nothing
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .extracting(r -> r.value().email() + "/" + r.value().emailStatus())
                .containsExactly(
                        "Bouncy@example.com/ACTIVE",
                        "Bouncy@example.com/BOUNCED",
                        "fixed@example.com/ACTIVE",
                        "fixed@example.com/COMPLAINED");
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicWithItsReason() {
        Topic<String, byte[]> raw =
                new Topic<>(Topics.EMAIL_FEEDBACK.name(), Serdes.String(), Serdes.ByteArray(), Map.of());
        String key = "poison-" + UUID.randomUUID();
        TestInfrastructure.send(raw, key, "{\"userId\": 42}".getBytes(StandardCharsets.UTF_8));

        try (TopicProbe<byte[], byte[]> deadLetters = TopicProbe.of(
                TestInfrastructure.broker().bootstrapServers(), Topics.deadLetters(Topics.EMAIL_FEEDBACK))) {
            var record = deadLetters
                    .await(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, APPLIED)
                    .getFirst();
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"userId\": 42}");
            Header type = record.headers().lastHeader("kafka_dlt-exception-fqcn");
            assertThat(new String(type.value(), StandardCharsets.UTF_8)).endsWith("InvalidRecordException");
            assertThat(record.headers().lastHeader("kafka_dlt-exception-message"))
                    .isNotNull();
        }
        // the listener carries on after it
        String id = newId();
        put(id, Map.of("email", "after-poison@example.com")).expectStatus().isCreated();
        TestInfrastructure.send(
                Topics.EMAIL_FEEDBACK,
                id,
                new EmailFeedback(
                        id, "after-poison@example.com", EmailFeedback.Type.BOUNCED, null, null, Instant.now()));
        await().atMost(APPLIED)
                .untilAsserted(() -> assertThat(profile(id).emailStatus()).isEqualTo(UserProfile.EmailStatus.BOUNCED));
    }

    @Test
    void aRecordWithoutAValueIsDeadLetteredAsInvalid() {
        Topic<String, byte[]> raw =
                new Topic<>(Topics.INVALID_DEVICES.name(), Serdes.String(), Serdes.ByteArray(), Map.of());
        String key = "tombstone-" + UUID.randomUUID();
        TestInfrastructure.send(raw, key, null);

        try (TopicProbe<byte[], byte[]> deadLetters = TopicProbe.of(
                TestInfrastructure.broker().bootstrapServers(), Topics.deadLetters(Topics.INVALID_DEVICES))) {
            var record = deadLetters
                    .await(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, APPLIED)
                    .getFirst();
            assertThat(new String(
                            record.headers()
                                    .lastHeader("kafka_dlt-exception-fqcn")
                                    .value(),
                            StandardCharsets.UTF_8))
                    .endsWith("InvalidRecordException");
        }
    }
}
