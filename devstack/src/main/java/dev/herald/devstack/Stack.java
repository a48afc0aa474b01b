package dev.herald.devstack;

import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.FcmStandIn;
import dev.herald.testkit.KafkaBroker;
import dev.herald.testkit.SmtpCapture;
import dev.herald.testkit.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The whole of Herald on one machine: an in-process Kafka broker (KRaft), an SMTP capture, an FCM stand-in,
 * and every app as a child JVM, wired to them and to the machine's PostgreSQL and Redis. Used by {@link
 * Devstack} and by the end-to-end test.
 */
public final class Stack implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(3);
    private static final Duration STOP = Duration.ofSeconds(30);

    private final StackConfig config;
    private final KafkaBroker broker;
    private final SmtpCapture smtp;
    private final FcmStandIn fcm;
    private final Map<App, AppProcess> apps = new EnumMap<>(App.class);

    private Stack(StackConfig config, KafkaBroker broker, SmtpCapture smtp, FcmStandIn fcm) {
        this.config = config;
        this.broker = broker;
        this.smtp = smtp;
        this.fcm = fcm;
    }

    /** Starts everything and returns once every app is ready; stops what it started if anything fails. */
    public static Stack start(StackConfig config, Progress progress) {
        for (App app : App.values()) {
            Path jar = config.jar(app);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no " + jar + ": build the apps first (./mvnw -DskipTests package)");
            }
        }
        emptyDirectory(config.workDir());
        progress.step("PostgreSQL: empty schemas in database " + config.database());
        config.postgres().ensureDatabase(config.database());
        for (App app : List.of(App.USER_API, App.TEMPLATE_API)) {
            config.postgres().dropSchema(config.database(), config.schema(app));
        }
        progress.step("Kafka broker (KRaft, in process) on port " + config.kafkaPort());
        KafkaBroker broker = KafkaBroker.start(config.kafkaPort());
        SmtpCapture smtp = null;
        FcmStandIn fcm = null;
        try {
            smtp = SmtpCapture.start(config.smtpPort(), config.smtpHttpPort());
            fcm = FcmStandIn.start(config.fcmPort());
        } catch (RuntimeException e) {
            if (smtp != null) {
                smtp.close();
            }
            broker.close();
            throw e;
        }
        Stack stack = new Stack(config, broker, smtp, fcm);
        try {
            broker.createTopics(Topics.all(), config.partitions());
            progress.step("Starting " + App.values().length + " apps; logs in "
                    + config.workDir().resolve("logs"));
            for (App app : App.values()) {
                stack.apps.put(
                        app,
                        AppProcess.start(
                                app,
                                config.appPorts().get(app),
                                config.jar(app),
                                config.jvmOptions(),
                                stack.arguments(app),
                                // in the environment, not on the command line, where any local user could read it
                                Map.of("HERALD_SECURITY_JWT_HMAC_SECRET", config.jwtSecret()),
                                config.workDir().resolve("logs").resolve(app.moduleName() + ".log")));
            }
            CompletableFuture.allOf(stack.apps.values().stream()
                            .map(app -> CompletableFuture.runAsync(() -> {
                                app.awaitReady(READY);
                                progress.step(app.app().moduleName() + " ready at " + app.url());
                            }))
                            .toArray(CompletableFuture[]::new))
                    .join();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** The Spring Boot arguments that wire {@code app} to this stack. */
    private List<String> arguments(App app) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + config.appPorts().get(app),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--herald.kafka.create-topics=false",
                "--herald.parent-pid=" + ProcessHandle.current().pid()));
        String jdbc = config.postgres().jdbcUrl(config.database());
        switch (app) {
            case INGEST_API -> args.add("--herald.ingest.status-base-url=" + url(App.ENRICH_STREAM));
            case USER_API, TEMPLATE_API -> {
                args.add("--spring.r2dbc.url=" + config.postgres().r2dbcUrl(config.database(), config.schema(app)));
                args.add("--spring.r2dbc.username=" + config.postgres().user());
                args.add("--spring.flyway.url=" + jdbc);
                args.add("--spring.flyway.user=" + config.postgres().user());
                args.add("--spring.flyway.schemas=" + config.schema(app));
                if (app == App.USER_API) {
                    args.add("--spring.data.redis.host=" + config.redisHost());
                    args.add("--spring.data.redis.port=" + config.redisPort());
                    args.add("--herald.users.cache.key-prefix=herald:" + config.runId() + ":users:");
                }
            }
            case ENRICH_STREAM -> {
                args.add("--spring.kafka.streams.application-id=herald-enrich-" + config.runId());
                args.add("--spring.kafka.streams.state-dir="
                        + config.workDir().resolve("state").toAbsolutePath());
            }
            case EMAIL_SINK -> {
                args.add("--spring.mail.host=127.0.0.1");
                args.add("--spring.mail.port=" + smtp.smtpPort());
            }
            case PUSH_SINK -> {
                args.add("--herald.push.fcm.endpoint=" + fcm.baseUrl());
                args.add("--herald.push.fcm.project-id=herald-devstack");
                args.add("--herald.push.fcm.access-token=devstack");
            }
        }
        return args;
    }

    public URI url(App app) {
        return URI.create("http://127.0.0.1:" + config.appPorts().get(app));
    }

    public KafkaBroker broker() {
        return broker;
    }

    public SmtpCapture smtp() {
        return smtp;
    }

    public FcmStandIn fcm() {
        return fcm;
    }

    /** The HMAC secret the stack's APIs verify tokens with. */
    public String jwtSecret() {
        return config.jwtSecret();
    }

    /** A token the stack's APIs accept, with every scope, valid for {@code ttl}. */
    public String token(Duration ttl) {
        return Tokens.mint(config.jwtSecret(), "devstack", Tokens.ALL_SCOPES, ttl);
    }

    /** Stops the apps gracefully (in parallel), then the broker and the stand-ins. */
    @Override
    public void close() {
        apps.values().forEach(AppProcess::requestStop);
        apps.values().forEach(app -> app.awaitStop(STOP));
        fcm.close();
        smtp.close();
        broker.close();
    }

    private static void emptyDirectory(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }

    /** Where start-up has got to, for people watching. */
    @FunctionalInterface
    public interface Progress {
        void step(String message);
    }
}
