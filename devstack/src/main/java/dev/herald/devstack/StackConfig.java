package dev.herald.devstack;

import dev.herald.testkit.FreePorts;
import dev.herald.testkit.Postgres;
import dev.herald.testkit.Tokens;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where and how a {@link Stack} runs.
 *
 * @param projectRoot Herald's source tree, whose build left each app's runnable jar in {@code
 *     <app>/target/<app>-exec.jar}
 * @param workDir folder for logs and Kafka Streams state; emptied at start
 * @param kafkaPort broker port
 * @param smtpPort SMTP capture port
 * @param smtpHttpPort port of the SMTP capture's HTTP view
 * @param fcmPort FCM stand-in port
 * @param appPorts HTTP port of each app
 * @param postgres the PostgreSQL server
 * @param database database holding the apps' schemas
 * @param schemaSuffix appended to each app's schema name ({@code user_api<suffix>}); the schemas are dropped
 *     at start
 * @param redisHost Redis host
 * @param redisPort Redis port
 * @param runId unique per run; isolates Redis keys and the Kafka Streams application
 * @param jwtSecret HMAC secret the APIs accept tokens for
 * @param partitions partitions of every topic
 * @param jvmOptions JVM options of each app
 */
public record StackConfig(
        Path projectRoot,
        Path workDir,
        int kafkaPort,
        int smtpPort,
        int smtpHttpPort,
        int fcmPort,
        Map<App, Integer> appPorts,
        Postgres postgres,
        String database,
        String schemaSuffix,
        String redisHost,
        int redisPort,
        String runId,
        String jwtSecret,
        int partitions,
        List<String> jvmOptions) {

    /** Small heaps and quick start-up: six JVMs share a laptop. */
    static final List<String> DEV_JVM_OPTIONS = List.of(
            "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

    /** The documented local ports and the {@code herald} database, for people. */
    public static StackConfig devstack(Path projectRoot, Path workDir) {
        Map<App, Integer> ports = new EnumMap<>(App.class);
        for (App app : App.values()) {
            ports.put(app, app.defaultPort());
        }
        return new StackConfig(
                projectRoot,
                workDir,
                9092,
                3025,
                8025,
                8099,
                ports,
                Postgres.local(),
                "herald",
                "",
                "127.0.0.1",
                6379,
                UUID.randomUUID().toString(),
                Tokens.newSecret(),
                3,
                jvmOptions(System.getenv("HERALD_DEVSTACK_JVM_OPTIONS")));
    }

    /**
     * The apps' JVM options: {@link #DEV_JVM_OPTIONS}, or the space-separated options of {@code
     * HERALD_DEVSTACK_JVM_OPTIONS} (e.g. {@code -Xmx512m} for the full JIT when measuring throughput).
     */
    static List<String> jvmOptions(String override) {
        return override == null || override.isBlank()
                ? DEV_JVM_OPTIONS
                : List.of(override.strip().split("\\s+"));
    }

    /** Free ports and the {@code test} database, for tests that must not collide with a running devstack. */
    public static StackConfig isolated(Path projectRoot, Path workDir) {
        Map<App, Integer> ports = new EnumMap<>(App.class);
        for (App app : App.values()) {
            ports.put(app, FreePorts.pick());
        }
        return new StackConfig(
                projectRoot,
                workDir,
                FreePorts.pick(),
                FreePorts.pick(),
                FreePorts.pick(),
                FreePorts.pick(),
                ports,
                Postgres.local(),
                "test",
                "_e2e",
                "127.0.0.1",
                6379,
                UUID.randomUUID().toString(),
                Tokens.newSecret(),
                2,
                DEV_JVM_OPTIONS);
    }

    /** The runnable jar of {@code app}. */
    public Path jar(App app) {
        return projectRoot.resolve(app.moduleName()).resolve("target").resolve(app.moduleName() + "-exec.jar");
    }

    public String schema(App app) {
        return app.moduleName().replace('-', '_') + schemaSuffix;
    }
}
