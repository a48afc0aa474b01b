package dev.herald.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * A bounce or complaint about an address: the value of {@code emails.feedback}, keyed by {@code userId}.
 * Schema: {@code herald/schemas/email-feedback.schema.json}.
 *
 * @param userId the address's owner
 * @param email the address
 * @param type bounce or complaint
 * @param reason the provider's explanation, or {@code null}
 * @param notificationId the notification concerned, or {@code null}
 * @param occurredAt when the provider reported it
 */
public record EmailFeedback(
        String userId, String email, Type type, String reason, UUID notificationId, Instant occurredAt) {

    /** Kind of feedback. */
    public enum Type {
        @JsonProperty("bounced")
        BOUNCED,
        @JsonProperty("complained")
        COMPLAINED
    }
}
