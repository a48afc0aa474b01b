package dev.herald.enrich;

import dev.herald.schemas.Channel;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Users, templates and requests for enrich-stream's tests. */
public final class Fixtures {

    public static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private Fixtures() {}

    public static UserProfile ana() {
        return new UserProfile(
                "ana",
                "ana@example.com",
                UserProfile.EmailStatus.ACTIVE,
                "pt-BR",
                "America/Sao_Paulo",
                List.of(
                        new UserProfile.Device("phone-token", UserProfile.Platform.ANDROID, "shop"),
                        new UserProfile.Device("tablet-token", UserProfile.Platform.IOS, "shop")),
                UserProfile.Preferences.NONE,
                NOW,
                1);
    }

    public static UserProfile withPreferences(UserProfile user, UserProfile.Preferences preferences) {
        return new UserProfile(
                user.id(),
                user.email(),
                user.emailStatus(),
                user.locale(),
                user.timeZone(),
                user.devices(),
                preferences,
                user.updatedAt(),
                user.revision() + 1);
    }

    public static Template orderShipped() {
        return new Template(
                "order-shipped",
                4,
                "Order shipped",
                "orders",
                false,
                "en",
                Map.of(
                        "en",
                        new Template.Content(
                                new Template.EmailContent(
                                        "Order {{order.number}} shipped",
                                        "<p>Hi {{name}}, order <b>{{order.number}}</b> is on its way.</p>",
                                        "Hi {{name}}, order {{order.number}} is on its way."),
                                new Template.PushContent(
                                        "Shipped",
                                        "Order {{order.number}}",
                                        Map.of("order", "{{order.number}}"),
                                        null)),
                        "pt",
                        new Template.Content(
                                new Template.EmailContent(
                                        "Pedido {{order.number}} enviado", "<p>Olá {{name}}</p>", null),
                                new Template.PushContent("Enviado", "Pedido {{order.number}}", null, null))),
                NOW);
    }

    public static NotificationRequest request(String userId, String templateId) {
        return request(userId, templateId, Priority.NORMAL, List.of());
    }

    public static NotificationRequest request(
            String userId, String templateId, Priority priority, List<Channel> channels) {
        return new NotificationRequest(
                UUID.randomUUID(),
                userId,
                templateId,
                Map.of("name", "Ana <3", "order", Map.of("number", "A-17")),
                channels,
                null,
                priority,
                null,
                null,
                null,
                NOW.minusSeconds(1));
    }

    /** {@code request} carrying the client's {@code metadata}. */
    public static NotificationRequest withMetadata(NotificationRequest request, Map<String, String> metadata) {
        return copy(request, request.scheduledAt(), metadata);
    }

    /** A request for ana's order-shipped notification, scheduled for {@code at}. */
    public static NotificationRequest scheduled(Instant at) {
        NotificationRequest request = request("ana", "order-shipped");
        return copy(request, at, request.metadata());
    }

    private static NotificationRequest copy(
            NotificationRequest request, Instant scheduledAt, Map<String, String> metadata) {
        return new NotificationRequest(
                request.id(),
                request.userId(),
                request.templateId(),
                request.data(),
                request.channels(),
                request.category(),
                request.priority(),
                request.locale(),
                scheduledAt,
                metadata,
                request.requestedAt());
    }
}
