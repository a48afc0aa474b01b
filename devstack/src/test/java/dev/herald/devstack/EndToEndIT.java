package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testkit.FcmStandIn.ReceivedPush;
import dev.herald.testkit.SmtpCapture.CapturedEmail;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every app as its own JVM, against one in-process broker, the machine's PostgreSQL and Redis, an SMTP
 * server and the FCM stand-in: a user and a template are created over HTTP, a notification is posted, and
 * it arrives by email and push with a status of SENT on both channels.
 */
class EndToEndIT {

    private static Stack stack;
    private static HeraldClient client;

    @BeforeAll
    static void startHerald() {
        Path root = Path.of(System.getProperty("herald.root", ".."));
        stack = Stack.start(
                StackConfig.isolated(root, Path.of("target/e2e")), message -> System.out.println("e2e: " + message));
        client = new HeraldClient(stack, stack.token(Duration.ofHours(1)));
    }

    @AfterAll
    static void stopHerald() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aNotificationPostedOverHttpArrivesByEmailAndPushAndItsStatusIsSentOnBothChannels() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String userId = "ana-" + suffix;
        String deviceToken = "device-" + suffix;
        String templateId = "order-shipped-" + suffix;
        HeraldClient.ok(client.putUser(
                userId,
                Map.of(
                        "email",
                        userId + "@example.com",
                        "locale",
                        "pt-BR",
                        "timeZone",
                        "America/Sao_Paulo",
                        "devices",
                        List.of(Map.of("token", deviceToken, "platform", "android")))));
        HeraldClient.ok(client.putTemplate(
                templateId,
                Map.of(
                        "name", "Order shipped",
                        "category", "orders",
                        "defaultLocale", "en",
                        "locales",
                                Map.of(
                                        "en",
                                                Map.of(
                                                        "email",
                                                                Map.of(
                                                                        "subject",
                                                                        "Order {{order}} shipped",
                                                                        "text",
                                                                        "Hi {{name}}"),
                                                        "push", Map.of("title", "Shipped", "body", "Order {{order}}")),
                                        "pt",
                                                Map.of(
                                                        "email",
                                                                Map.of(
                                                                        "subject", "Pedido {{order}} enviado",
                                                                        "html",
                                                                                "<p>Olá {{name}}, o pedido <b>{{order}}</b> saiu.</p>",
                                                                        "text",
                                                                                "Olá {{name}}, o pedido {{order}} saiu."),
                                                        "push",
                                                                Map.of(
                                                                        "title",
                                                                        "Pedido enviado",
                                                                        "body",
                                                                        "{{name}}, o pedido {{order}} saiu."))))));

        JsonNode status = deliver(
                Map.of("userId", userId, "templateId", templateId, "data", Map.of("name", "Ana <3", "order", "A-17")));

        UUID id = UUID.fromString(status.path("id").asString());
        assertThat(status.path("status").asString()).isEqualTo("SENT");
        assertThat(status.path("channels").path("email").path("status").asString())
                .isEqualTo("SENT");
        assertThat(status.path("channels").path("push").path("status").asString())
                .isEqualTo("SENT");

        CapturedEmail email = stack.smtp().messages().stream()
                .filter(m -> ("<" + id + "@herald.localhost>").equals(m.messageId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no email for " + id + " in " + stack.smtp().messages()));
        assertThat(email.to()).containsExactly(userId + "@example.com");
        assertThat(email.subject()).isEqualTo("Pedido A-17 enviado");
        assertThat(email.html()).isEqualTo("<p>Olá Ana &lt;3, o pedido <b>A-17</b> saiu.</p>");
        assertThat(email.text()).isEqualTo("Olá Ana <3, o pedido A-17 saiu.");

        List<ReceivedPush> pushes = stack.fcm().received().stream()
                .filter(p -> id.toString().equals(p.data().get("heraldNotificationId")))
                .toList();
        assertThat(pushes).singleElement().satisfies(push -> {
            assertThat(push.token()).isEqualTo(deviceToken);
            assertThat(push.title()).isEqualTo("Pedido enviado");
            assertThat(push.body()).isEqualTo("Ana <3, o pedido A-17 saiu.");
        });

        // the preview of the same template, data and recipient locale is exactly what was delivered
        JsonNode preview = HeraldClient.ok(client.previewTemplate(
                templateId, Map.of("recipientLocale", "pt-BR", "data", Map.of("name", "Ana <3", "order", "A-17"))));
        assertThat(preview.path("email").path("subject").asString()).isEqualTo(email.subject());
        assertThat(preview.path("email").path("html").asString()).isEqualTo(email.html());
        assertThat(preview.path("email").path("text").asString()).isEqualTo(email.text());
        assertThat(preview.path("push").path("title").asString())
                .isEqualTo(pushes.getFirst().title());
        assertThat(preview.path("push").path("body").asString())
                .isEqualTo(pushes.getFirst().body());

        // one scheduled a few seconds ahead is held, then sent; one cancelled while held is never sent
        Map<String, Object> data = Map.of("name", "Ana", "order", "A-18");
        UUID later = postScheduled(userId, templateId, data, Instant.now().plusSeconds(3));
        UUID cancelled = postScheduled(userId, templateId, data, Instant.now().plusSeconds(600));
        assertThat(client.cancelNotification(cancelled).status()).isEqualTo(202);

        JsonNode sentLater = DemoData.awaitOutcome(client, later, Duration.ofSeconds(60));
        assertThat(sentLater.path("status").asString()).isEqualTo("SENT");
        assertThat(sentLater.path("history").findValuesAsString("status"))
                .startsWith("ACCEPTED", "SCHEDULED")
                .contains("DISPATCHED", "SENT");
        JsonNode cancelledView = DemoData.awaitOutcome(client, cancelled, Duration.ofSeconds(60));
        assertThat(cancelledView.path("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelledView.path("history").findValuesAsString("status"))
                .containsExactly("ACCEPTED", "SCHEDULED", "CANCELLED");
        assertThat(stack.smtp().messages())
                .noneMatch(m -> ("<" + cancelled + "@herald.localhost>").equals(m.messageId()));

        // a request sent twice with the client's id (no Idempotency-Key) is accepted twice and delivered once: the
        // copy is dropped downstream. A third request for the same recipient, read after the copy (one user's
        // requests keep their order), tells when the copy has been read
        UUID twice = UUID.randomUUID();
        Map<String, Object> copy =
                Map.of("id", twice.toString(), "userId", userId, "templateId", templateId, "data", data);
        assertThat(client.postNotification(copy).status()).isEqualTo(202);
        assertThat(client.postNotification(copy).status()).isEqualTo(202);
        JsonNode after = DemoData.awaitOutcome(
                client,
                UUID.fromString(HeraldClient.ok(client.postNotification(
                                Map.of("userId", userId, "templateId", templateId, "data", data)))
                        .path("id")
                        .asString()),
                Duration.ofSeconds(60));
        assertThat(after.path("status").asString()).isEqualTo("SENT");
        JsonNode once = DemoData.awaitOutcome(client, twice, Duration.ofSeconds(60));
        assertThat(once.path("history").findValuesAsString("status")).containsOnlyOnce("ACCEPTED");
        assertThat(stack.smtp().messages())
                .filteredOn(m -> ("<" + twice + "@herald.localhost>").equals(m.messageId()))
                .hasSize(1);
        assertThat(stack.fcm().received())
                .filteredOn(p -> twice.toString().equals(p.data().get("heraldNotificationId")))
                .hasSize(1);
    }

    @Test
    void aNotificationForAnUnknownUserIsAcceptedThenRejectedAndNothingIsDispatched() {
        HeraldClient.Answer accepted =
                client.postNotification(Map.of("userId", "nobody-" + UUID.randomUUID(), "templateId", "welcome"));
        assertThat(accepted.status()).isEqualTo(202);
        UUID id = UUID.fromString(accepted.body().path("id").asString());

        JsonNode status = DemoData.awaitOutcome(client, id, Duration.ofSeconds(60));

        assertThat(status.path("status").asString()).isEqualTo("REJECTED");
        assertThat(status.path("reason").asString()).startsWith("unknown user");
        assertThat(status.path("channels").isEmpty())
                .as("no channel was ever dispatched")
                .isTrue();
        assertThat(status.path("history").findValuesAsString("status")).containsExactly("ACCEPTED", "REJECTED");
    }

    private static UUID postScheduled(String userId, String templateId, Map<String, Object> data, Instant at) {
        JsonNode accepted = HeraldClient.ok(client.postNotification(
                Map.of("userId", userId, "templateId", templateId, "data", data, "scheduledAt", at.toString())));
        return UUID.fromString(accepted.path("id").asString());
    }

    /**
     * Posts {@code request} until it gets past the joins, and returns its final status. The user and the
     * template were created a moment ago; until enrich-stream has read them, a request is rightly rejected as
     * unknown, and that is the only acceptable outcome besides getting through.
     */
    private static JsonNode deliver(Map<String, Object> request) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            HeraldClient.Answer accepted = client.postNotification(request);
            assertThat(accepted.status())
                    .as("ingest answer %s", accepted.body())
                    .isEqualTo(202);
            JsonNode status = DemoData.awaitOutcome(
                    client, UUID.fromString(accepted.body().path("id").asString()), Duration.ofSeconds(60));
            if (!status.path("status").asString().equals("REJECTED")) {
                return status;
            }
            assertThat(status.path("reason").asString()).matches("unknown (user|template) '.*'");
        }
        throw new AssertionError("the notification never got past the joins");
    }
}
