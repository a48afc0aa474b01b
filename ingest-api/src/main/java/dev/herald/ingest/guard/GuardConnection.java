package dev.herald.ingest.guard;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Redis commands of the guards, sent through Lettuce's asynchronous API on the app's shared connection (the
 * one Spring Data Redis manages, with Boot's timeouts, the fail-fast setting and the command observations).
 * Each command is one future: on the request path that costs far less than the reactive template's
 * per-command connection handling. Failures are Lettuce's {@code RedisException}s, or Spring's {@code
 * RedisConnectionFailureException} while there is no connection yet.
 */
@Component
class GuardConnection {

    private final RedisConnectionFactory factory;

    /** The shared connection's commands, once connected; Lettuce reconnects it by itself after an outage. */
    private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;

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
        RedisClusterAsyncCommands<byte[], byte[]> connected = commands;
        return connected != null
                ? Mono.just(connected)
                // connecting blocks: not on an event loop
                : Mono.fromCallable(this::connect).subscribeOn(Schedulers.boundedElastic());
    }

    @SuppressWarnings("unchecked")
    private RedisClusterAsyncCommands<byte[], byte[]> connect() {
        // closing a connection that uses the shared native connection leaves the latter open
        try (RedisConnection connection = factory.getConnection()) {
            RedisClusterAsyncCommands<byte[], byte[]> connected =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            commands = connected;
            return connected;
        }
    }

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
