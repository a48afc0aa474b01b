package dev.herald.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} of this machine, started as a child process on its own port (no persistence),
 * so a test can stop it and start it again without disturbing anything else that uses Redis.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final Path workDir;
    private Process process;

    private RedisProcess(int port, Path workDir) {
        this.port = port;
        this.workDir = workDir;
    }

    /** Starts {@code redis-server} on a free port of 127.0.0.1. */
    public static RedisProcess start() {
        try {
            RedisProcess redis = new RedisProcess(FreePorts.pick(), Files.createTempDirectory("herald-redis-"));
            redis.restart();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory for redis-server", e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the server again after {@link #stop()}, on the same port, empty. */
    public synchronized void restart() {
        try {
            process = new ProcessBuilder(List.of(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--dir",
                            workDir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!answersPing()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("redis-server did not come up on port " + port);
            }
            sleep(20);
        }
    }

    /** Stops the server, as in an outage; its port then refuses connections. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Sets one of the server's settings ({@code CONFIG SET}), as its operator would; Redis must be up. */
    public void config(String parameter, String value) {
        String reply = command("CONFIG", "SET", parameter, value);
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("CONFIG SET " + parameter + " " + value + ": " + reply.strip());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Sends one command on a connection of its own and returns the first line of the reply, which is all a status
     * ({@code +OK}) or error ({@code -ERR …}) reply has.
     */
    public String command(String... words) {
        StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                reply.append((char) c);
            }
            return reply.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
