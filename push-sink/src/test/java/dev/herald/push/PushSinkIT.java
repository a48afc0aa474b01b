package dev.herald.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.Priority;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.FcmStandIn;
import dev.herald.testkit.FcmStandIn.FcmError;
import dev.herald.testkit.FcmStandIn.ReceivedPush;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class PushSinkIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final FcmStandIn fcm = FcmStandIn.start(0);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        registry.add("herald.push.fcm.endpoint", fcm::baseUrl);
        registry.add("herald.push.fcm.project-id", () -> "herald-test");
        registry.add("herald.push.fcm.access-token", () -> "test-token");
    }

    @AfterAll
    static void stopFcm() {
        fcm.close();
    }

    @Test
    void aPushOnALaneGoesToFcmForItsDeviceWithTheNotificationIdAndIsRecordedAsSent() {
        PushMessage push = push("token-" + UUID.randomUUID(), Priority.NORMAL);
        send(push);

        ReceivedPush received = awaitPush(push.token());
        assertThat(received.title()).isEqualTo("Enviado");
        assertThat(received.body()).isEqualTo("Pedido A-17");
        assertThat(received.data())
                .containsEntry("order", "A-17")
                .containsEntry("heraldNotificationId", push.notificationId().toString());
        assertThat(received.message().path("android").path("priority").asString())
                .isEqualTo("normal");
        assertThat(statuses(push.notificationId(), 1)).singleElement().satisfies(event -> {
            assertThat(event.status()).isEqualTo(Status.SENT);
            assertThat(event.details()).containsEntry("providerMessageId", received.name());
            assertThat(received.name()).startsWith("projects/herald-test/messages/");
        });
        assertThat(fcm.received())
                .as("sent once, now that its outcome is recorded")
                .filteredOn(r -> push.token().equals(r.token()))
                .hasSize(1);
    }

    @Test
    void aHighPriorityPushIsSentAsHighPriority() {
        PushMessage push = push("urgent-" + UUID.randomUUID(), Priority.HIGH);
        send(push);

        ReceivedPush received = awaitPush(push.token());
        assertThat(received.message().path("android").path("priority").asString())
                .isEqualTo("high");
        assertThat(received.message()
                        .path("apns")
                        .path("headers")
                        .path("apns-priority")
                        .asString())
                .isEqualTo("10");
    }

    @Test
    void anUnregisteredDeviceFailsForGoodAndIsReportedAsInvalid() {
        PushMessage push = push("dead-" + UUID.randomUUID(), Priority.NORMAL);
        fcm.refuse(push.token(), FcmError.UNREGISTERED);
        send(push);

        assertThat(statuses(push.notificationId(), 1)).singleElement().satisfies(event -> {
            assertThat(event.status()).isEqualTo(Status.FAILED);
            assertThat(event.reason()).startsWith("FCM UNREGISTERED");
        });
        try (TopicProbe<String, InvalidDevice> invalid =
                TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.INVALID_DEVICES)) {
            ConsumerRecord<String, InvalidDevice> record = invalid.await(
                            r -> push.token().equals(r.value().token()), 1, WITHIN)
                    .getFirst();
            assertThat(record.key()).isEqualTo("ana");
            assertThat(record.value().reason()).isEqualTo("UNREGISTERED");
            assertThat(record.value().notificationId()).isEqualTo(push.notificationId());
        }
        assertThat(fcm.refusedAttempts()).as("tried once, not retried").containsOnlyOnce(push.token());
        assertThat(fcm.received()).noneMatch(r -> push.token().equals(r.token()));
    }

    private static ReceivedPush awaitPush(String token) {
        List<ReceivedPush> found = await().atMost(WITHIN)
                .until(
                        () -> fcm.received().stream()
                                .filter(r -> token.equals(r.token()))
                                .toList(),
                        pushes -> !pushes.isEmpty());
        assertThat(found).as("sent once").hasSize(1);
        return found.getFirst();
    }

    private static List<StatusEvent> statuses(UUID notificationId, int count) {
        return TestInfrastructure.statusEvents(notificationId, count, WITHIN);
    }

    private static PushMessage push(String token, Priority priority) {
        return new PushMessage(
                UUID.randomUUID(),
                "ana",
                "order-shipped",
                1,
                "pt",
                "orders",
                token,
                UserProfile.Platform.ANDROID,
                "Enviado",
                "Pedido A-17",
                Map.of("order", "A-17"),
                null,
                priority,
                Instant.now());
    }

    private static void send(PushMessage push) {
        TestInfrastructure.send(Topics.pushDeliveries(push.priority()), push.userId(), push);
    }
}
