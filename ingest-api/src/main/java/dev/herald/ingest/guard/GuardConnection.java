package dev.herald.ingest.guard;

import dev.herald.platform.failure.Causes;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.context.Lifecycle;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Redis commands of the guards, sent through Lettuce's asynchronous API on the app's shared connection (the
 * one Spring Data Redis manages, with Boot's timeouts, the fail-fast setting and the command observations).
 * Each command is one future: on the request path that costs far less than the reactive template's
 * per-command connection handling. Failures are Lettuce's {@code RedisException}s, or Spring's {@code
 * RedisConnectionFailureException} while there is no connection yet. A connection the factory closes (its {@code
 * resetConnection()}, or a stop and start) is replaced by the factory's next one. Whenever Lettuce connects (the
 * first connection, its replacements, and its own reconnects after an outage or a failover), the guards check
 * whether that Redis would evict keys when full, and warn if so (once, until a check finds otherwise).
 */
@Component
class GuardConnection {

    private static final Logger log = LoggerFactory.getLogger(GuardConnection.class);

    /** Redis's setting for what it does when full. */
    private static final String POLICY = "maxmemory-policy";

    /** What a check finds for a Redis that keeps every key when full; what the guards expect before any check. */
    private static final Finding KEEPS_KEYS = new Finding(
            Level.INFO,
            List.of("Redis keeps idempotency keys when full (maxmemory-policy noeviction, or no memory limit)"));

    private final RedisConnectionFactory factory;

    /** The shared connection, once connected; Lettuce reconnects it by itself after an outage. */
    private volatile Connected connected;

    /** The connection attempt under way, if any: requests arriving meanwhile wait for it instead of queueing more. */
    private final AtomicReference<CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>>> connecting =
            new AtomicReference<>();

    /** The Lettuce client whose connections trigger the eviction check, once it is listened to. */
    private final AtomicReference<AbstractRedisClient> watched = new AtomicReference<>();

    /** Eviction checks asked for since the last one began: non-zero while one is due or running. */
    private final AtomicInteger checksDue = new AtomicInteger();

    /** What the last eviction check found. */
    private final AtomicReference<Finding> lastFinding = new AtomicReference<>(KEEPS_KEYS);

    GuardConnection(RedisConnectionFactory factory) {
        this.factory = factory;
    }

    /**
     * Runs {@code script} on {@code keys} and {@code args} ({@code EVALSHA}, sending the script itself when
     * Redis does not know it yet) and emits its reply: integers as {@code Long}, strings as {@code byte[]}.
     */
    Mono<List<Object>> eval(RedisScript<?> script, List<String> keys, List<String> args) {
        byte[][] keyBytes = bytes(keys);
        byte[][] argBytes = bytes(args);
        return commands()
                .flatMap(redis -> Mono.fromCompletionStage(redis.<List<Object>>evalsha(
                                script.getSha1(), ScriptOutputType.MULTI, keyBytes, argBytes))
                        .onErrorResume(
                                RedisNoScriptException.class,
                                e -> Mono.fromCompletionStage(redis.<List<Object>>eval(
                                        script.getScriptAsString().getBytes(StandardCharsets.UTF_8),
                                        ScriptOutputType.MULTI,
                                        keyBytes,
                                        argBytes))));
    }

    /** Sets {@code key} to {@code value} for {@code ttl}. */
    Mono<Void> set(String key, String value, Duration ttl) {
        return commands()
                .flatMap(redis -> Mono.fromCompletionStage(
                        redis.set(bytes(key), bytes(value), SetArgs.Builder.px(ttl.toMillis()))))
                .then();
    }

    /** Deletes {@code key}. */
    Mono<Void> delete(String key) {
        return commands()
                .flatMap(redis -> Mono.fromCompletionStage(redis.del(bytes(key))))
                .then();
    }

    private Mono<RedisClusterAsyncCommands<byte[], byte[]>> commands() {
        Connected current = connected;
        // a connection the factory closed (reset or stopped) is let go: the factory opens another on its next use.
        // A request that goes away must not cancel the attempt the others wait for.
        return current != null && !current.closed().getAsBoolean()
                ? Mono.just(current.commands())
                : Mono.fromFuture(this::connection, true);
    }

    /**
     * The connection attempt under way, or a new one. Connecting blocks, so it runs on a worker thread, one attempt
     * at a time; a failed attempt is not remembered, so the next request tries again.
     */
    private CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> connection() {
        CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> attempt = new CompletableFuture<>();
        CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> running =
                connecting.compareAndExchange(null, attempt);
        if (running != null) {
            return running;
        }
        try {
            Schedulers.boundedElastic().schedule(() -> {
                try {
                    attempt.complete(connect());
                } catch (IllegalStateException e) {
                    // the factory stopped (or is stopping) with the app, while requests are still under way
                    attempt.completeExceptionally(
                            factory instanceof Lifecycle lifecycle && !lifecycle.isRunning()
                                    ? new RedisConnectionFailureException("The app is stopping, and Redis with it", e)
                                    : e);
                } catch (RuntimeException e) {
                    attempt.completeExceptionally(e);
                } finally {
                    connecting.set(null);
                }
            });
        } catch (RuntimeException e) {
            // no worker free: a Redis failure to the guards, which fail open or answer 503
            connecting.set(null);
            attempt.completeExceptionally(new RedisConnectionFailureException("No thread to connect to Redis on", e));
        }
        return attempt;
    }

    @SuppressWarnings("unchecked")
    private RedisClusterAsyncCommands<byte[], byte[]> connect() {
        // closing a connection that uses the shared native connection leaves the latter open
        try (RedisConnection connection = factory.getConnection()) {
            // this connection may predate the watch (opened for the health check, say, or before a factory
            // restart): checked here, and by the watch whenever the client connects again. A check that finds
            // what the last one did logs nothing new, so one that overlaps the watch's costs a CONFIG GET only.
            watchConnects();
            checkEviction();
            RedisClusterAsyncCommands<byte[], byte[]> commands =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            StatefulConnection<?, ?> stateful = switch (commands) {
                case RedisAsyncCommands<?, ?> standalone -> standalone.getStatefulConnection();
                case RedisAdvancedClusterAsyncCommands<?, ?> cluster -> cluster.getStatefulConnection();
                default -> null;
            };
            // Lettuce's connections are channel handlers; isOpen() would also be false while one reconnects
            BooleanSupplier closed =
                    stateful instanceof RedisChannelHandler<?, ?> handler ? handler::isClosed : () -> false;
            connected = new Connected(commands, closed);
            return commands;
        }
    }

    /**
     * Has the factory's Lettuce client check Redis's eviction settings whenever it connects: the client stays the
     * factory's until it is stopped, and its connections are re-established by Lettuce itself, possibly to another
     * server (a failover), without passing through here. Lettuce tells its listeners on its event loop once the
     * connection is ready for commands. Every connection
     * the client opens counts, the reactive one Boot's health check uses and a cluster's node connections included.
     */
    private void watchConnects() {
        if (!(factory instanceof LettuceConnectionFactory lettuce)
                || !(lettuce.getNativeClient() instanceof AbstractRedisClient client)
                || watched.getAndSet(client) == client) {
            return;
        }
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                checkEviction();
            }
        });
    }

    /**
     * Checks the eviction settings on a worker thread (the caller may be Lettuce's event loop, which the check's
     * command needs): once for any number of requests meanwhile, and again if one comes while it runs.
     */
    private void checkEviction() {
        if (checksDue.getAndIncrement() > 0) {
            return;
        }
        try {
            Schedulers.boundedElastic().schedule(() -> {
                try {
                    int due;
                    do {
                        due = checksDue.get();
                        warnIfEvicting();
                    } while (!checksDue.compareAndSet(due, 0));
                } catch (RuntimeException | Error e) {
                    checksDue.set(0); // or no check would ever run again
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            checksDue.set(0);
            log.info("Could not check whether Redis evicts idempotency keys: no worker thread free");
        }
    }

    /**
     * Warns when this Redis, once full, evicts keys: an {@code Idempotency-Key} evicted before its time is up no
     * longer stops a retry from publishing again. Only {@code noeviction} (or no memory limit) keeps the promise; a
     * full Redis then refuses writes, which the guards treat as Redis failing. A Redis that does not let this client
     * read its configuration (some managed services, an ACL user without {@code CONFIG GET}) is not checked. What a
     * check finds is logged when it differs from what the last one found, so that every connection the client
     * (re)opens does not repeat it; the first check logs nothing for a Redis that keeps its keys.
     */
    private void warnIfEvicting() {
        Properties config;
        try (RedisConnection connection = factory.getConnection()) {
            config = connection.serverCommands().getConfig("maxmemory*");
        } catch (RuntimeException e) {
            report(new Finding(
                    Level.INFO,
                    List.of("Could not read Redis's maxmemory-policy, so cannot tell whether it evicts idempotency"
                            + " keys: " + Causes.describe(e))));
            return;
        }
        log.debug("Redis's memory settings: {}", config);
        report(evictingServers(config)
                .map(evicting -> evicting.isEmpty()
                        ? KEEPS_KEYS
                        : new Finding(
                                Level.WARN,
                                evicting.stream()
                                        .map(server -> "Redis evicts keys when full (" + server + "): an"
                                                + " Idempotency-Key it evicts before its time is up no longer stops"
                                                + " a retry from publishing again. Give ingest-api a Redis with"
                                                + " maxmemory-policy noeviction.")
                                        .toList()))
                .orElseGet(() -> new Finding(
                        Level.INFO,
                        List.of("Redis did not report its maxmemory-policy, so cannot tell whether it evicts"
                                + " idempotency keys"))));
    }

    /** Logs {@code finding} unless the last check found the same. */
    private void report(Finding finding) {
        if (finding.equals(lastFinding.getAndSet(finding))) {
            log.debug("Redis's eviction settings are as the last check found them");
            return;
        }
        finding.messages().forEach(message -> log.atLevel(finding.level()).log(message));
    }

    /** What a check of Redis's eviction settings found, as the lines to log. */
    private record Finding(Level level, List<String> messages) {}

    /**
     * The servers of {@code config} (Redis's {@code CONFIG GET maxmemory*}) that evict keys when full, each as
     * {@code "maxmemory <bytes> bytes, maxmemory-policy <policy>"}, prefixed with {@code "<node>: "} for a cluster's
     * nodes (whose settings Spring reports as {@code <host:port>.<name>}); empty when it reports no policy.
     */
    static Optional<List<String>> evictingServers(Properties config) {
        if (config == null) {
            return Optional.empty();
        }
        List<String> evicting = new ArrayList<>();
        boolean reported = false;
        for (String name : new TreeSet<>(config.stringPropertyNames())) {
            if (!name.equals(POLICY) && !name.endsWith("." + POLICY)) {
                continue;
            }
            reported = true;
            String node = name.substring(0, name.length() - POLICY.length());
            String policy = config.getProperty(name);
            String limit = config.getProperty(node + "maxmemory", "0");
            if (!"noeviction".equals(policy) && !"0".equals(limit)) {
                String where = node.isEmpty() ? "" : node.substring(0, node.length() - 1) + ": ";
                evicting.add(where + "maxmemory " + limit + " bytes, maxmemory-policy " + policy);
            }
        }
        return reported ? Optional.of(evicting) : Optional.empty();
    }

    /** The shared connection's commands, and whether it has been closed for good. */
    private record Connected(RedisClusterAsyncCommands<byte[], byte[]> commands, BooleanSupplier closed) {}

    /** A string of a script's reply, or {@code null} for an empty one. */
    static String string(Object reply) {
        return reply instanceof byte[] bytes && bytes.length > 0 ? new String(bytes, StandardCharsets.UTF_8) : null;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] bytes(List<String> values) {
        byte[][] all = new byte[values.size()][];
        for (int i = 0; i < all.length; i++) {
            all[i] = bytes(values.get(i));
        }
        return all;
    }
}
