package dev.herald.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A local HTTP server that answers like Firebase Cloud Messaging's HTTP v1 {@code messages:send}, since
 * FCM itself cannot be reached from tests and devstack. It records every message it accepts, and refuses
 * the tokens it was told to refuse with FCM's own error bodies. {@code GET /messages} lists what it
 * received.
 */
public final class FcmStandIn implements AutoCloseable {

    private static final Pattern SEND_PATH = Pattern.compile("^/v1/projects/([^/]+)/messages:send$");

    private final HttpServer server;
    private final List<ReceivedPush> received = new CopyOnWriteArrayList<>();
    private final List<String> refusedAttempts = new CopyOnWriteArrayList<>();
    private final Map<String, FcmError> refusedTokens = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private FcmStandIn(int port) {
        server = JsonHttp.server(port);
        server.createContext("/v1/projects/", this::send);
        server.createContext("/messages", this::list);
        server.start();
    }

    /** Starts the stand-in on {@code port} of localhost; {@code 0} picks a free port. */
    public static FcmStandIn start(int port) {
        return new FcmStandIn(port);
    }

    /** Base URL to give push-sink in place of {@code https://fcm.googleapis.com}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Messages accepted so far, oldest first. */
    public List<ReceivedPush> received() {
        return List.copyOf(received);
    }

    /** Tokens of the messages refused so far, one entry per attempt. */
    public List<String> refusedAttempts() {
        return List.copyOf(refusedAttempts);
    }

    /** From now on, answer messages to {@code token} with {@code error}, as FCM would. */
    public void refuse(String token, FcmError error) {
        refusedTokens.put(token, error);
    }

    private void send(HttpExchange exchange) throws IOException {
        Matcher path = SEND_PATH.matcher(exchange.getRequestURI().getPath());
        if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
            JsonHttp.respond(exchange, 404, FcmError.NOT_FOUND_BODY);
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            JsonHttp.respond(exchange, 401, FcmError.UNAUTHENTICATED.body());
            return;
        }
        JsonNode message;
        try (InputStream in = exchange.getRequestBody()) {
            message = JsonHttp.MAPPER.readTree(in).path("message");
        }
        String token = message.path("token").asString(null);
        FcmError error = token == null ? FcmError.INVALID_ARGUMENT : refusedTokens.get(token);
        if (error != null) {
            refusedAttempts.add(token == null ? "" : token);
            JsonHttp.respond(exchange, error.httpStatus(), error.body());
            return;
        }
        String project = path.group(1);
        String name = "projects/" + project + "/messages/" + ids.incrementAndGet();
        received.add(new ReceivedPush(
                name,
                token,
                message.path("notification").path("title").asString(null),
                message.path("notification").path("body").asString(null),
                JsonHttp.MAPPER.convertValue(message.path("data"), Map.class),
                message));
        JsonHttp.respond(exchange, 200, Map.of("name", name));
    }

    private void list(HttpExchange exchange) throws IOException {
        JsonHttp.respond(exchange, 200, received());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A message FCM would have delivered.
     *
     * @param name the message name FCM answered with
     * @param token target registration token
     * @param title notification title
     * @param body notification body
     * @param data data payload
     * @param message the whole {@code message} object as sent
     */
    public record ReceivedPush(
            String name, String token, String title, String body, Map<String, String> data, JsonNode message) {}

    /** Errors FCM answers with, by FCM error code. */
    public enum FcmError {
        UNREGISTERED(404, "NOT_FOUND", "Requested entity was not found."),
        INVALID_ARGUMENT(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token"),
        UNAVAILABLE(503, "UNAVAILABLE", "The service is currently unavailable."),
        INTERNAL(500, "INTERNAL", "Internal error encountered."),
        UNAUTHENTICATED(401, "UNAUTHENTICATED", "Request is missing required authentication credential.");

        static final Map<String, Object> NOT_FOUND_BODY =
                Map.of("error", Map.of("code", 404, "message", "Not Found", "status", "NOT_FOUND"));

        private final int httpStatus;
        private final String status;
        private final String message;

        FcmError(int httpStatus, String status, String message) {
            this.httpStatus = httpStatus;
            this.status = status;
            this.message = message;
        }

        int httpStatus() {
            return httpStatus;
        }

        /** The response body FCM sends for this error. */
        Map<String, Object> body() {
            return Map.of(
                    "error",
                    Map.of(
                            "code",
                            httpStatus,
                            "message",
                            message,
                            "status",
                            status,
                            "details",
                            List.of(Map.of(
                                    "@type",
                                    "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                    "errorCode",
                                    name()))));
        }
    }
}
