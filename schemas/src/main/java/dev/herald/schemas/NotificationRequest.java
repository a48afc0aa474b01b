package dev.herald.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A request to notify one recipient with one template: the value of {@code notifications.requested},
 * keyed by {@code userId}. Schema: {@code herald/schemas/notification-request.schema.json}.
 *
 * @param id notification id; downstream stages de-duplicate on it
 * @param userId the recipient
 * @param templateId the template slug
 * @param data variables for the template (nested maps, lists and scalars)
 * @param channels channels the sender allows; empty means every channel the template has
 * @param category preference category, or {@code null}
 * @param priority delivery lane; {@code normal} when absent
 * @param locale BCP 47 tag that overrides the recipient's locale, or {@code null}
 * @param scheduledAt deliver no earlier than this, or {@code null}
 * @param metadata opaque client data
 * @param requestedAt when Herald accepted the request, or {@code null} if the producer did not say
 */
public record NotificationRequest(
        UUID id,
        String userId,
        String templateId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> data,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Channel> channels,
        String category,
        Priority priority,
        String locale,
        Instant scheduledAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata,
        Instant requestedAt) {

    public NotificationRequest {
        data = data == null ? Map.of() : data;
        channels = channels == null ? List.of() : List.copyOf(channels);
        priority = priority == null ? Priority.NORMAL : priority;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
