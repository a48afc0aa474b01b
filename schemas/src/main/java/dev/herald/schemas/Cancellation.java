package dev.herald.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to cancel a notification that is still scheduled or deferred: the value of
 * {@code notifications.cancellations}, keyed by {@code notificationId}. Schema:
 * {@code herald/schemas/cancellation.schema.json}. It takes effect only while enrich-stream holds the
 * notification back; one that was already dispatched goes on.
 *
 * @param notificationId the notification to cancel
 * @param requestedBy the client that asked, or {@code null}
 * @param requestedAt when it was asked
 */
public record Cancellation(UUID notificationId, String requestedBy, Instant requestedAt) {}
