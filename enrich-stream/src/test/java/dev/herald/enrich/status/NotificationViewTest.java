package dev.herald.enrich.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.Channel;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NotificationViewTest {

    private final UUID id = UUID.randomUUID();
    private Instant clock = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void theOverallStatusFollowsTheChannelsThroughDelivery() {
        NotificationView view = fold(null, event(Status.ACCEPTED, null, null));
        assertThat(view.status()).isEqualTo(Status.ACCEPTED);

        view = fold(view, event(Status.DISPATCHED, Channel.EMAIL, null));
        view = fold(view, event(Status.DISPATCHED, Channel.PUSH, null));
        assertThat(view.status()).isEqualTo(Status.DISPATCHED);

        view = fold(view, event(Status.SENT, Channel.EMAIL, null));
        assertThat(view.status()).as("push is still in flight").isEqualTo(Status.DISPATCHED);

        view = fold(view, event(Status.FAILED, Channel.PUSH, "UNREGISTERED"));
        assertThat(view.status()).as("email got through").isEqualTo(Status.SENT);
        assertThat(view.channels().get("push").reason()).isEqualTo("UNREGISTERED");
        assertThat(view.history()).hasSize(5);
        assertThat(view.updatedAt()).isEqualTo(clock);
    }

    @Test
    void aChannelWithSeveralDevicesIsDoneOnlyWhenEveryDeviceHasAnOutcome() {
        NotificationView view = fold(null, event(Status.ACCEPTED, null, null));
        view = fold(view, dispatchedToDevices(3));

        view = fold(view, event(Status.SENT, Channel.PUSH, null));
        assertThat(view.channels().get("push").status())
                .as("two devices still in flight")
                .isEqualTo(Status.DISPATCHED);
        assertThat(view.status()).isEqualTo(Status.DISPATCHED);

        view = fold(view, event(Status.RETRYING, Channel.PUSH, "FCM UNAVAILABLE"));
        view = fold(view, event(Status.FAILED, Channel.PUSH, "FCM UNREGISTERED"));
        assertThat(view.channels().get("push").status()).isEqualTo(Status.RETRYING);

        view = fold(view, event(Status.SENT, Channel.PUSH, null));
        NotificationView.ChannelState push = view.channels().get("push");
        assertThat(push.status()).isEqualTo(Status.SENT);
        assertThat(push)
                .extracting(
                        NotificationView.ChannelState::messages,
                        NotificationView.ChannelState::sent,
                        NotificationView.ChannelState::failed)
                .containsExactly(3, 2, 1);
        assertThat(push.reason()).isEqualTo("1 of 3 failed, last: FCM UNREGISTERED");
        assertThat(view.status()).isEqualTo(Status.SENT);
    }

    @Test
    void aChannelWhoseEveryMessageFailedHasFailed() {
        NotificationView view = fold(null, dispatchedToDevices(2));
        view = fold(view, event(Status.FAILED, Channel.PUSH, "FCM UNREGISTERED"));
        view = fold(view, event(Status.DEAD_LETTERED, Channel.PUSH, "FCM UNAVAILABLE"));

        assertThat(view.channels().get("push").status()).isEqualTo(Status.DEAD_LETTERED);
        assertThat(view.status()).isEqualTo(Status.DEAD_LETTERED);
    }

    @Test
    void aRejectionIsTheOverallStatusWithItsReason() {
        NotificationView view =
                fold(fold(null, event(Status.ACCEPTED, null, null)), event(Status.REJECTED, null, "unknown user 'x'"));

        assertThat(view.status()).isEqualTo(Status.REJECTED);
        assertThat(view.reason()).isEqualTo("unknown user 'x'");
        assertThat(view.channels()).isEmpty();
    }

    @Test
    void channelsThatAllEndTheSameWayGiveThatStatusAndMixedFailuresGiveFailed() {
        NotificationView suppressed = fold(
                fold(null, event(Status.SUPPRESSED, Channel.EMAIL, "off")),
                event(Status.SUPPRESSED, Channel.PUSH, "off"));
        assertThat(suppressed.status()).isEqualTo(Status.SUPPRESSED);

        NotificationView mixed = fold(
                fold(null, event(Status.SUPPRESSED, Channel.EMAIL, "off")), event(Status.FAILED, Channel.PUSH, "boom"));
        assertThat(mixed.status()).isEqualTo(Status.FAILED);
    }

    @Test
    void historyKeepsOnlyTheNewestEvents() {
        NotificationView view = null;
        for (int i = 0; i < NotificationView.HISTORY_LIMIT + 10; i++) {
            view = fold(view, event(Status.RETRYING, Channel.EMAIL, "attempt " + i));
        }

        assertThat(view.history()).hasSize(NotificationView.HISTORY_LIMIT);
        assertThat(view.history().getLast().reason()).isEqualTo("attempt " + (NotificationView.HISTORY_LIMIT + 9));
        assertThat(view.status()).isEqualTo(Status.RETRYING);
    }

    private NotificationView fold(NotificationView view, StatusEvent event) {
        return NotificationView.fold(view, event);
    }

    private StatusEvent dispatchedToDevices(int devices) {
        return new StatusEvent(
                id,
                "ana",
                Status.DISPATCHED,
                Channel.PUSH,
                null,
                "enrich-stream",
                clock,
                Map.of("messages", Integer.toString(devices)));
    }

    private StatusEvent event(Status status, Channel channel, String reason) {
        clock = clock.plusSeconds(1);
        return new StatusEvent(id, "ana", status, channel, reason, "test", clock, null);
    }
}
