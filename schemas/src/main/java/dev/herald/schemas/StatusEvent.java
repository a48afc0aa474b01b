package dev.herald.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One step in the life of a notification: the value of {@code notifications.status}, keyed by {@code
 * notificationId}. Schema: {@code herald/schemas/status-event.schema.json}.
 *
 * @param notificationId the notification
 * @param userId the recipient, or {@code null} when unknown
 * @param status what happened
 * @param channel the channel concerned, or {@code null} for the whole notification
 * @param reason why, for failures, rejections and suppressions; otherwise {@code null}
 * @param source the Herald component that wrote the event
 * @param occurredAt when it happened
 * @param details extra facts, e.g. the provider's message id
 * @param metadata the client's opaque data from the request, on the event that accepts it (and on the {@code
 *     DEAD_LETTERED} event of a request enrich-stream failed on, which may come without that one); otherwise empty
 */
public record StatusEvent(
        UUID notificationId,
        String userId,
        Status status,
        Channel channel,
        String reason,
        String source,
        Instant occurredAt,
        Map<String, String> details,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata) {

    /** Longest {@code reason}, and longest value in {@code details}, that the schema allows. */
    public static final int MAX_TEXT = 2048;

    /** Keeps text within the schema's limits, so a long error message cannot make the event unreadable. */
    public StatusEvent {
        reason = clip(reason);
        Map<String, String> clipped = new java.util.LinkedHashMap<>();
        if (details != null) {
            details.forEach((key, value) -> clipped.put(key, clip(value)));
        }
        details = Map.copyOf(clipped);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** An event without the client's metadata, as all but the accepting one are. */
    public StatusEvent(
            UUID notificationId,
            String userId,
            Status status,
            Channel channel,
            String reason,
            String source,
            Instant occurredAt,
            Map<String, String> details) {
        this(notificationId, userId, status, channel, reason, source, occurredAt, details, Map.of());
    }

    /** This event without the client's metadata. */
    public StatusEvent withoutMetadata() {
        return metadata.isEmpty()
                ? this
                : new StatusEvent(notificationId, userId, status, channel, reason, source, occurredAt, details);
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
