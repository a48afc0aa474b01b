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
 * @param metadata the client's opaque data from the request
 */
public record NotificationView(
        UUID id,
        String userId,
        Status status,
        String reason,
        Map<String, ChannelState> channels,
        List<StatusEvent> history,
        Instant updatedAt,
        Map<String, String> metadata) {

    public NotificationView {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** Events kept per notification; older ones are dropped first. */
    static final int HISTORY_LIMIT = 100;

    /** Folds {@code event} into {@code view}, which is {@code null} for a notification's first event. */
    public static NotificationView fold(NotificationView view, StatusEvent event) {
        Map<String, ChannelState> channels = new TreeMap<>(view == null ? Map.of() : view.channels());
        List<StatusEvent> history = new ArrayList<>(view == null ? List.of() : view.history());
        // the metadata is the view's own, once, not again in its history
        history.add(event.withoutMetadata());
        if (history.size() > HISTORY_LIMIT) {
            history.subList(0, history.size() - HISTORY_LIMIT).clear();
        }
        Status notificationLevel = view == null ? null : view.notificationLevel();
        String reason = view == null ? null : view.reason();
        if (event.channel() == null) {
            notificationLevel = event.status();
            reason = event.reason();
        } else {
            channels.merge(event.channel().wireName(), ChannelState.of(event), (state, unused) -> state.with(event));
        }
        return new NotificationView(
                event.notificationId(),
                event.userId() != null ? event.userId() : view == null ? null : view.userId(),
                overall(notificationLevel, channels.values()),
                reason,
                channels,
                history,
                event.occurredAt(),
                view == null || view.metadata().isEmpty() ? event.metadata() : view.metadata());
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
     * Where a channel stands. A channel may carry several messages (push: one per device); it is done when
     * every message it dispatched has an outcome.
     *
     * @param status {@code SENT} once any message got through and all have an outcome, the outcome when none
     *     got through, and the latest in-flight status until then
     * @param reason why, for failures and suppressions
     * @param updatedAt when its latest event happened
     * @param messages messages dispatched on the channel
     * @param sent messages the provider accepted
     * @param failed messages that failed or were dead-lettered
     */
    public record ChannelState(Status status, String reason, Instant updatedAt, int messages, int sent, int failed) {

        static ChannelState of(StatusEvent event) {
            return new ChannelState(null, null, null, 0, 0, 0).with(event);
        }

        ChannelState with(StatusEvent event) {
            return switch (event.status()) {
                case DISPATCHED ->
                    new ChannelState(Status.DISPATCHED, null, event.occurredAt(), dispatched(event), sent, failed);
                case SENT -> outcome(event, sent + 1, failed);
                case FAILED, DEAD_LETTERED -> outcome(event, sent, failed + 1);
                default -> new ChannelState(event.status(), event.reason(), event.occurredAt(), messages, sent, failed);
            };
        }

        /** A message's outcome: the channel stays in flight until every dispatched message has one. */
        private ChannelState outcome(StatusEvent event, int sent, int failed) {
            boolean done = messages == 0 || sent + failed >= messages;
            Status now = !done ? status : sent > 0 ? Status.SENT : event.status();
            String why = failed == 0
                    ? null
                    : messages > 1 ? failed + " of " + messages + " failed, last: " + event.reason() : event.reason();
            if (event.reason() == null && failed > 0) {
                why = reason;
            }
            return new ChannelState(now, why, event.occurredAt(), messages, sent, failed);
        }

        private static int dispatched(StatusEvent event) {
            try {
                return Integer.parseInt(event.details().getOrDefault("messages", "1"));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
    }
}
