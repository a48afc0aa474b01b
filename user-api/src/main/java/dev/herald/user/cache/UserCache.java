package dev.herald.user.cache;

import dev.herald.platform.failure.Causes;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.HeraldJson;
import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cache-aside in Redis for profile reads. Each entry is {@code <revision>:<profile JSON>} and is only ever
 * replaced by a higher revision, so a slow read that fetched a profile before a write committed cannot put the
 * old profile back after the write refreshed the entry. A deletion leaves {@code <revision>:} behind, which
 * reads treat as a miss.
 *
 * <p>Redis is an optimisation only: when it fails, reads go to PostgreSQL, the failure is logged and counted
 * ({@code herald.users.cache.errors}, tagged with the operation), and no request fails. A write whose entry
 * Redis refuses to replace (when it is full) deletes it instead.
 */
@Component
public class UserCache {

    private static final Logger log = LoggerFactory.getLogger(UserCache.class);

    /** Sets KEYS[1] to ARGV[1]:ARGV[2] for ARGV[3] ms unless it holds a revision at least as high. */
    private static final RedisScript<Long> SET_IF_NEWER = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if current then
              local revision = tonumber(string.match(current, '^(%d+):'))
              if revision and revision >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'PX', ARGV[3])
            return 1
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final UserCacheProperties properties;
    private final MeterRegistry meters;

    UserCache(ReactiveStringRedisTemplate redis, UserCacheProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.properties = properties;
        this.meters = meters;
    }

    /** The cached profile, or empty on a miss, after a deletion, or when Redis fails. */
    public Mono<UserProfile> get(String id) {
        return redis.opsForValue()
                .get(key(id))
                .map(entry -> entry.substring(entry.indexOf(':') + 1))
                .filter(json -> !json.isEmpty())
                // written by this class from a stored profile: parsed, not validated again on every read
                .map(json -> HeraldJson.mapper().readValue(json, UserProfile.class))
                .onErrorResume(e -> failed("get", e));
    }

    /** Caches a profile read from PostgreSQL, unless a newer one is cached; emits it either way. */
    public Mono<UserProfile> put(UserProfile profile) {
        return set(profile.id(), profile.revision(), json(profile))
                .onErrorResume(e -> failed("put", e))
                .thenReturn(profile);
    }

    /** Replaces the cached profiles of users that were just written. */
    public Mono<Void> store(Collection<UserProfile> profiles) {
        return Flux.fromIterable(profiles)
                .concatMap(profile ->
                        afterWrite(profile.id(), set(profile.id(), profile.revision(), json(profile)), "store"))
                .then();
    }

    /** Drops the cached profile of a user deleted at {@code revision}. */
    public Mono<Void> forget(String id, long revision) {
        return afterWrite(id, set(id, revision, ""), "forget");
    }

    private Mono<Void> set(String id, long revision, String json) {
        return redis.execute(
                        SET_IF_NEWER,
                        List.of(key(id)),
                        List.of(
                                Long.toString(revision),
                                json,
                                Long.toString(properties.ttl().toMillis())))
                .then();
    }

    /**
     * The cache's part of a database write: when Redis refuses to replace the entry, it is deleted, so reads go to
     * PostgreSQL rather than get the profile from before the write. A full Redis ({@code maxmemory} under {@code
     * noeviction}) refuses the replacement but takes the deletion. An unreachable or silent one would take neither,
     * so the write does not wait for a second failure.
     */
    private Mono<Void> afterWrite(String id, Mono<Void> replace, String operation) {
        return replace.onErrorResume(e -> {
            Mono<Void> counted = failed(operation, e);
            return Causes.any(e, RedisCommandExecutionException.class)
                    ? counted.then(redis.delete(key(id)).then()).onErrorResume(dropFailed -> failed("drop", dropFailed))
                    : counted;
        });
    }

    private static String json(UserProfile profile) {
        return HeraldJson.mapper().writeValueAsString(profile);
    }

    private String key(String id) {
        return properties.keyPrefix() + id;
    }

    private <T> Mono<T> failed(String operation, Throwable e) {
        Counter.builder("herald.users.cache.errors")
                .description("Redis cache operations that failed and fell back to PostgreSQL")
                .tag("operation", operation)
                .register(meters)
                .increment();
        log.warn("Redis cache {} failed; serving from PostgreSQL: {}", operation, e.toString());
        return Mono.empty();
    }
}
