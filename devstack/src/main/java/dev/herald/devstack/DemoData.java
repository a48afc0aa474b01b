package dev.herald.devstack;

import dev.herald.schemas.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The demo recipient and template devstack seeds, and the welcome notification it sends through them. */
final class DemoData {

    static final String USER = "demo-user";
    static final String TEMPLATE = "welcome";
    static final String DEVICE_TOKEN = "demo-device-token";
    static final Map<String, Object> DATA = Map.of("name", "Ada", "product", "Herald");

    private DemoData() {}

    static void seed(HeraldClient client) {
        HeraldClient.ok(client.putUser(
                USER,
                Map.of(
                        "email", "demo@herald.localhost",
                        "locale", "en-GB",
                        "timeZone", "Europe/Lisbon",
                        "devices",
                                List.of(Map.of(
                                        "token", DEVICE_TOKEN, "platform", "android", "appId", "herald-demo")))));
        HeraldClient.ok(
                client.putTemplate(
                        TEMPLATE,
                        Map.of(
                                "name", "Welcome",
                                "category", "onboarding",
                                "defaultLocale", "en",
                                "locales",
                                        Map.of(
                                                "en",
                                                        Map.of(
                                                                "email",
                                                                        Map.of(
                                                                                "subject",
                                                                                        "Welcome to {{product}}, {{name}}!",
                                                                                "html",
                                                                                        "<h1>Hi {{name}}</h1><p>Your first notification from {{product}} has arrived.</p>",
                                                                                "text",
                                                                                        "Hi {{name}}, your first notification from {{product}} has arrived."),
                                                                "push",
                                                                        Map.of(
                                                                                "title", "Welcome, {{name}}",
                                                                                "body",
                                                                                        "Your first {{product}} push notification")),
                                                "pt",
                                                        Map.of(
                                                                "email",
                                                                        Map.of(
                                                                                "subject",
                                                                                        "Bem-vindo ao {{product}}, {{name}}!",
                                                                                "html",
                                                                                        "<h1>Olá {{name}}</h1><p>Chegou a sua primeira notificação do {{product}}.</p>",
                                                                                "text",
                                                                                        "Olá {{name}}, chegou a sua primeira notificação do {{product}}."),
                                                                "push",
                                                                        Map.of(
                                                                                "title", "Bem-vindo, {{name}}",
                                                                                "body",
                                                                                        "A sua primeira notificação push do {{product}}"))))));
    }

    /**
     * Sends the welcome notification until it gets through, and returns its final status. The first tries
     * may be rejected while enrich-stream is still loading the freshly seeded user and template.
     */
    static JsonNode sendWelcome(HeraldClient client, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            UUID id = UUID.fromString(HeraldClient.ok(
                            client.postNotification(Map.of("userId", USER, "templateId", TEMPLATE, "data", DATA)))
                    .path("id")
                    .asString());
            last = awaitOutcome(client, id, Duration.ofSeconds(15));
            String status = last.path("status").asString("");
            if (!status.equals("REJECTED")) {
                return last;
            }
        }
        throw new IllegalStateException("the welcome notification did not get through: " + last);
    }

    /** Polls the status of {@code id} until nothing more will happen to it. */
    static JsonNode awaitOutcome(HeraldClient client, UUID id, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode view = null;
        while (Instant.now().isBefore(deadline)) {
            HeraldClient.Answer answer = client.notificationStatus(id);
            if (answer.status() == 200) {
                view = answer.body();
                if (Status.valueOf(view.path("status").asString()).isTerminal()) {
                    return view;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("notification " + id + " did not finish within " + timeout + ": " + view);
    }
}
