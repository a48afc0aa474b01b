package dev.herald.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * A rendered email ready to send: the value of {@code deliveries.email.<priority>}, keyed by {@code
 * userId}. Schema: {@code herald/schemas/email-message.schema.json}.
 *
 * @param notificationId the notification this message delivers
 * @param userId the recipient
 * @param templateId the template it was rendered from
 * @param templateVersion the template version it was rendered from
 * @param locale the locale it was rendered in
 * @param category preference category, or {@code null}
 * @param to recipient address
 * @param subject rendered subject, never containing CR or LF
 * @param html rendered HTML body, or {@code null}
 * @param text rendered plain-text body, or {@code null}
 * @param priority delivery lane
 * @param requestedAt when the notification was requested
 */
public record EmailMessage(
        UUID notificationId,
        String userId,
        String templateId,
        Integer templateVersion,
        String locale,
        String category,
        String to,
        String subject,
        String html,
        String text,
        Priority priority,
        Instant requestedAt)
        implements DeliveryMessage {

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }
}
