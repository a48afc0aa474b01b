package dev.herald.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Herald app running as a child JVM, its output in a log file. */
public final class AppProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final App app;
    private final int port;
    private final Path log;
    private final Process process;

    private AppProcess(App app, int port, Path log, Process process) {
        this.app = app;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code jar} with the JVM running this launcher, {@code jvmOptions}, Spring {@code arguments} and
     * extra {@code environment} variables.
     */
    static AppProcess start(
            App app,
            int port,
            Path jar,
            List<String> jvmOptions,
            List<String> arguments,
            Map<String, String> environment,
            Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new AppProcess(app, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + app.moduleName(), e);
        }
    }

    /** The app's process id. */
    public long pid() {
        return process.pid();
    }

    /** CPU time the app's JVM has used so far. */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public App app() {
        return app;
    }

    /** Base URL of the app's HTTP server. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Waits until the app reports itself ready, or fails with the end of its log. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest readiness = HttpRequest.newBuilder(url().resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        app.moduleName() + " exited with " + process.exitValue() + ":\n" + tail(60));
            }
            try {
                if (HTTP.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + app.moduleName(), e);
            }
            pause();
        }
        throw new IllegalStateException(app.moduleName() + " not ready within " + timeout + ":\n" + tail(60));
    }

    /** Asks the app to shut down gracefully (SIGTERM). */
    void requestStop() {
        process.destroy();
    }

    /** Waits for the app to exit, killing it when it takes longer than {@code timeout}. */
    void awaitStop(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The last {@code lines} lines of the app's log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
