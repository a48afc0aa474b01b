package dev.herald.schemas;

import dev.herald.schemas.UserProfile.Platform;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A rendered push notification for one device: the value of {@code deliveries.push.<priority>}, keyed by
 * {@code userId}. Schema: {@code herald/schemas/push-message.schema.json}.
 *
 * @param notificationId the notification this message delivers
 * @param userId the recipient
 * @param templateId the template it was rendered from
 * @param templateVersion the template version it was rendered from
 * @param locale the locale it was rendered in
 * @param category preference category, or {@code null}
 * @param token FCM registration token of the device
 * @param platform device platform
 * @param title rendered title
 * @param body rendered body
 * @param data key-value pairs for the app
 * @param imageUrl image URL, or {@code null}
 * @param priority delivery lane
 * @param requestedAt when the notification was requested
 */
public record PushMessage(
        UUID notificationId,
        String userId,
        String templateId,
        Integer templateVersion,
        String locale,
        String category,
        String token,
        Platform platform,
        String title,
        String body,
        Map<String, String> data,
        String imageUrl,
        Priority priority,
        Instant requestedAt)
        implements DeliveryMessage {

    public PushMessage {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    @Override
    public Channel channel() {
        return Channel.PUSH;
    }
}
