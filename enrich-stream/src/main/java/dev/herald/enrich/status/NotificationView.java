package dev.herald.enrich.status;

import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What Herald knows about one notification, folded from its status events: the overall status, the status
 * of each channel, and the history.
 *
 * @param id notification id
 * @param userId recipient
 * @param status overall status, see {@link #overall}
 * @param reason why, when the overall status is a rejection or cancellation
 * @param channels per channel (by wire name): its latest status
 * @param history the events, oldest first, at most {@link #HISTORY_LIMIT}
 * @param updatedAt when the latest event happened
 */
public record NotificationView(
        UUID id,
        String userId,
        Status status,
        String reason,
        Map<String, ChannelState> channels,
        List<StatusEvent> history,
        Instant updatedAt) {

    /** Events kept per notification; older ones are dropped first. */
    static final int HISTORY_LIMIT = 100;

    /** Folds {@code event} into {@code view}, which is {@code null} for a notification's first event. */
    public static NotificationView fold(NotificationView view, StatusEvent event) {
        Map<String, ChannelState> channels = new TreeMap<>(view == null ? Map.of() : view.channels());
        List<StatusEvent> history = new ArrayList<>(view == null ? List.of() : view.history());
        history.add(event);
        if (history.size() > HISTORY_LIMIT) {
            history.subList(0, history.size() - HISTORY_LIMIT).clear();
        }
        Status notificationLevel = view == null ? null : view.notificationLevel();
        String reason = view == null ? null : view.reason();
        if (event.channel() == null) {
            notificationLevel = event.status();
            reason = event.reason();
        } else {
            channels.put(
                    event.channel().wireName(), new ChannelState(event.status(), event.reason(), event.occurredAt()));
        }
        return new NotificationView(
                event.notificationId(),
                event.userId() != null ? event.userId() : view == null ? null : view.userId(),
                overall(notificationLevel, channels.values()),
                reason,
                channels,
                history,
                event.occurredAt());
    }

    /** The latest status recorded for the notification as a whole. */
    Status notificationLevel() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).channel() == null) {
                return history.get(i).status();
            }
        }
        return null;
    }

    /**
     * The overall status: a rejection or cancellation of the whole notification wins; otherwise, while any
     * channel is still in flight, the most telling in-flight status (retrying, dispatched, scheduled); once
     * all channels are done, delivered or sent if any channel got through, the channels' shared status if
     * they agree, and failed if not.
     */
    static Status overall(Status notificationLevel, Collection<ChannelState> channels) {
        if (notificationLevel == Status.REJECTED || notificationLevel == Status.CANCELLED || channels.isEmpty()) {
            return notificationLevel;
        }
        for (Status inFlight : List.of(Status.RETRYING, Status.DISPATCHED, Status.SCHEDULED)) {
            if (channels.stream().anyMatch(c -> c.status() == inFlight)) {
                return inFlight;
            }
        }
        for (Status through : List.of(Status.DELIVERED, Status.SENT)) {
            if (channels.stream().anyMatch(c -> c.status() == through)) {
                return through;
            }
        }
        Status first = channels.iterator().next().status();
        return channels.stream().allMatch(c -> c.status() == first) ? first : Status.FAILED;
    }

    /**
     * @param status the channel's latest status
     * @param reason why, for failures and suppressions
     * @param updatedAt when it happened
     */
    public record ChannelState(Status status, String reason, Instant updatedAt) {}
}
