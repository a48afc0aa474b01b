package dev.herald.schemas.kafka;

import dev.herald.schemas.Cancellation;
import dev.herald.schemas.Channel;
import dev.herald.schemas.EmailFeedback;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Records with every field set, and with only the required ones. */
final class Samples {

    static final UUID ID = UUID.fromString("0b7e3c2a-5d4f-4a8e-9c1b-2f3e4d5a6b7c");
    static final Instant AT = Instant.parse("2026-11-21T09:30:15.123Z");

    private Samples() {}

    static NotificationRequest fullRequest() {
        return new NotificationRequest(
                ID,
                "user-42",
                "order-shipped",
                Map.of("order", Map.of("number", "A-1", "items", List.of("book", "pen")), "total", 12.5),
                List.of(Channel.EMAIL, Channel.PUSH),
                "orders",
                Priority.HIGH,
                "pt-BR",
                AT.plusSeconds(3600),
                Map.of("campaign", "autumn"),
                AT);
    }

    static NotificationRequest minimalRequest() {
        return new NotificationRequest(ID, "user-42", "order-shipped", null, null, null, null, null, null, null, null);
    }

    static UserProfile fullUser() {
        return new UserProfile(
                "user-42",
                "ana@example.com",
                UserProfile.EmailStatus.ACTIVE,
                "pt-BR",
                "America/Sao_Paulo",
                List.of(new UserProfile.Device("token-1", UserProfile.Platform.ANDROID, "shop-app")),
                new UserProfile.Preferences(
                        new UserProfile.ChannelSwitches(true, false),
                        Map.of("marketing", new UserProfile.ChannelSwitches(false, null)),
                        new UserProfile.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 30))),
                AT,
                7);
    }

    static UserProfile minimalUser() {
        return new UserProfile("user-42", null, null, null, null, null, null, AT, 1);
    }

    static Template fullTemplate() {
        return new Template(
                "order-shipped",
                3,
                "Order shipped",
                "orders",
                false,
                "en",
                Map.of(
                        "en",
                        new Template.Content(
                                new Template.EmailContent("Order {{order.number}}", "<p>Hi</p>", "Hi"),
                                new Template.PushContent(
                                        "Shipped",
                                        "Order {{order.number}}",
                                        Map.of("screen", "orders"),
                                        "https://cdn.example.com/box.png")),
                        "pt",
                        new Template.Content(null, new Template.PushContent("Enviado", "Pedido", null, null))),
                AT,
                new Template.Layout("brand", "<html><body>{{{content}}}</body></html>"),
                Map.of("type", "object", "properties", Map.of("order", Map.of("type", "object"))));
    }

    static Template minimalTemplate() {
        return new Template(
                "welcome",
                1,
                "Welcome",
                null,
                true,
                "en",
                Map.of("en", new Template.Content(new Template.EmailContent("Welcome", null, "Hello"), null)),
                null);
    }

    static EmailMessage email() {
        return new EmailMessage(
                ID,
                "user-42",
                "order-shipped",
                3,
                "en",
                "orders",
                "ana@example.com",
                "Order A-1",
                "<p>Hi</p>",
                "Hi",
                Priority.NORMAL,
                AT);
    }

    static PushMessage push() {
        return new PushMessage(
                ID,
                "user-42",
                "order-shipped",
                3,
                "en",
                "orders",
                "token-1",
                UserProfile.Platform.IOS,
                "Shipped",
                "Order A-1",
                Map.of("notificationId", ID.toString()),
                "https://cdn.example.com/box.png",
                Priority.LOW,
                AT);
    }

    static StatusEvent status() {
        return new StatusEvent(
                ID,
                "user-42",
                Status.FAILED,
                Channel.EMAIL,
                "550 mailbox unavailable",
                "email-sink",
                AT,
                Map.of("smtpCode", "550"));
    }

    static StatusEvent minimalStatus() {
        return new StatusEvent(ID, null, Status.ACCEPTED, null, null, "enrich-stream", AT, null);
    }

    static InvalidDevice invalidDevice() {
        return new InvalidDevice("user-42", "token-1", "UNREGISTERED", ID, AT);
    }

    static EmailFeedback feedback() {
        return new EmailFeedback("user-42", "ana@example.com", EmailFeedback.Type.BOUNCED, "550 5.1.1", ID, AT);
    }

    static Cancellation cancellation() {
        return new Cancellation(ID, "shop-backend", AT);
    }

    static Cancellation minimalCancellation() {
        return new Cancellation(ID, null, AT);
    }
}
