package dev.herald.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON client of Herald's HTTP APIs, as any client application would use them. */
public final class HeraldClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Stack stack;
    private final String token;

    public HeraldClient(Stack stack, String token) {
        this.stack = stack;
        this.token = token;
    }

    /** An HTTP answer: status and JSON body (a missing node when there is none). */
    public record Answer(int status, JsonNode body) {}

    public Answer putUser(String id, Map<String, ?> user) {
        return send("PUT", stack.url(App.USER_API).resolve("/api/v1/users/" + id), user);
    }

    public Answer putTemplate(String id, Map<String, ?> template) {
        return send("PUT", stack.url(App.TEMPLATE_API).resolve("/api/v1/templates/" + id), template);
    }

    public Answer previewTemplate(String id, Map<String, ?> request) {
        return send("POST", stack.url(App.TEMPLATE_API).resolve("/api/v1/templates/" + id + "/preview"), request);
    }

    public Answer postNotification(Map<String, ?> request) {
        return send("POST", stack.url(App.INGEST_API).resolve("/api/v1/notifications"), request);
    }

    public Answer cancelNotification(UUID id) {
        return send("DELETE", stack.url(App.INGEST_API).resolve("/api/v1/notifications/" + id), null);
    }

    public Answer notificationStatus(UUID id) {
        return send("GET", stack.url(App.ENRICH_STREAM).resolve("/api/v1/notifications/" + id), null);
    }

    /** Like {@link #putUser} and friends, but fails unless the answer is 2xx. */
    public static JsonNode ok(Answer answer) {
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException("HTTP " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    private Answer send(String method, URI uri, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0 ? JSON.missingNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), json);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + uri, e);
        }
    }
}
