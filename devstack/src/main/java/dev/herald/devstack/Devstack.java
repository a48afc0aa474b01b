package dev.herald.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.JsonNode;

/**
 * {@code devstack/run}: the whole of Herald on this machine, seeded with a demo user and template, until
 * Ctrl-C. Each run starts empty: a new broker, emptied schemas, a new token secret.
 */
public final class Devstack {

    private static final Duration TOKEN_TTL = Duration.ofHours(12);

    private Devstack() {}

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of(System.getProperty("herald.root", "."));
        Path work = root.resolve(".devstack");
        StackConfig config = StackConfig.devstack(root, work);
        long started = System.nanoTime();
        Stack stack;
        try {
            stack = Stack.start(config, message -> System.out.println("  • " + message));
        } catch (RuntimeException e) {
            System.err.println("\nHerald devstack could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("\nStopping Herald devstack…");
                            stack.close();
                            System.out.println("Stopped.");
                            stopped.countDown();
                        },
                        "devstack-shutdown"));

        String token = stack.token(TOKEN_TTL);
        HeraldClient client = new HeraldClient(stack, token);
        System.out.println("  • Seeding demo user '" + DemoData.USER + "' and template '" + DemoData.TEMPLATE + "'");
        DemoData.seed(client);
        JsonNode welcome = DemoData.sendWelcome(client, Duration.ofSeconds(60));
        System.out.println("  • Welcome notification " + welcome.path("id").asString() + ": email "
                + welcome.path("channels").path("email").path("status").asString() + ", push "
                + welcome.path("channels").path("push").path("status").asString());
        writeFiles(stack, work, token);
        System.out.printf(
                "%nHerald devstack is up (%d s).%n%s",
                (System.nanoTime() - started) / 1_000_000_000, banner(stack, work, token));
        stopped.await();
    }

    private static void writeFiles(Stack stack, Path work, String token) {
        try {
            Path tokenFile = work.resolve("token");
            Files.writeString(tokenFile, token + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            Path secret = work.resolve("jwt-secret");
            Files.writeString(secret, stack.jwtSecret() + "\n");
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Path mint = work.resolve("mint-token.sh");
            Files.writeString(mint, """
                    #!/bin/sh
                    # Mints a bearer token for this devstack run with the scopes given, e.g.
                    #   mint-token.sh users:read --ttl 10m --client reporting
                    # (--ttl 0s makes one that has expired already).
                    set -eu
                    work="$(cd "$(dirname "$0")" && pwd)"
                    cd "$work/.."
                    . .mvn/select-jdk.sh
                    exec "$JAVA_HOME/bin/java" -cp devstack/target/devstack-exec.jar \\
                      -Dloader.main=dev.herald.devstack.MintToken \\
                      org.springframework.boot.loader.launch.PropertiesLauncher "$work/jwt-secret" "$@"
                    """);
            Files.setPosixFilePermissions(mint, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path script = work.resolve("send-notification.sh");
            Files.writeString(script, """
                    #!/bin/sh
                    # Sends the demo notification through Herald devstack and prints the answer.
                    exec curl -sS -X POST %s/api/v1/notifications \\
                      -H "Authorization: Bearer $(cat "$(dirname "$0")/token")" \\
                      -H 'Content-Type: application/json' \\
                      -d '{"userId":"%s","templateId":"%s","data":{"name":"Ada","product":"Herald"}}'
                    """.formatted(stack.url(App.INGEST_API), DemoData.USER, DemoData.TEMPLATE));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + work, e);
        }
    }

    private static String banner(Stack stack, Path work, String token) {
        StringBuilder out = new StringBuilder("\n");
        for (App app : App.values()) {
            out.append("  %-14s %s%n".formatted(app.moduleName(), stack.url(app)));
        }
        out.append("  %-14s %s%n".formatted("Kafka", stack.broker().bootstrapServers()));
        out.append("  %-14s smtp://127.0.0.1:%d, received mail at %s/messages%n"
                .formatted("SMTP capture", stack.smtp().smtpPort(), stack.smtp().httpUrl()));
        out.append("  %-14s %s, received pushes at %s/messages%n"
                .formatted("FCM stand-in", stack.fcm().baseUrl(), stack.fcm().baseUrl()));
        out.append("  %-14s %s/swagger-ui.html (and likewise on each app)%n"
                .formatted("API docs", stack.url(App.INGEST_API)));
        out.append("  %-14s %s%n"
                .formatted("App logs", work.resolve("logs").toAbsolutePath().normalize()));
        out.append("\nBearer token (every scope, valid %d h), also in %s:%n  %s%n"
                .formatted(TOKEN_TTL.toHours(), work.resolve("token"), token));
        out.append("\nSend a notification (or run %s):%n".formatted(work.resolve("send-notification.sh")));
        out.append("""
                  curl -sS -X POST %s/api/v1/notifications \\
                    -H 'Authorization: Bearer %s' \\
                    -H 'Content-Type: application/json' \\
                    -d '{"userId":"%s","templateId":"%s","data":{"name":"Ada","product":"Herald"}}'
                """.formatted(stack.url(App.INGEST_API), token, DemoData.USER, DemoData.TEMPLATE));
        out.append("""

                Follow it with the id it answers, and see what was delivered:
                  curl -sS %s/api/v1/notifications/<id> -H 'Authorization: Bearer %s'
                  curl -sS %s/messages
                  curl -sS %s/messages

                Ctrl-C stops everything.
                """.formatted(
                        stack.url(App.ENRICH_STREAM),
                        token,
                        stack.smtp().httpUrl(),
                        stack.fcm().baseUrl()));
        return out.toString();
    }
}
