package dev.herald.user.cache;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Cache-aside in Redis for profile reads. Redis is an optimisation only: when it fails, reads go to
 * PostgreSQL, the failure is logged and counted ({@code herald.users.cache.errors}), and no request fails.
 */
@Component
public class UserCache {

    private static final Logger log = LoggerFactory.getLogger(UserCache.class);

    private final ReactiveStringRedisTemplate redis;
    private final UserCacheProperties properties;
    private final MeterRegistry meters;

    UserCache(ReactiveStringRedisTemplate redis, UserCacheProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.properties = properties;
        this.meters = meters;
    }

    /** The cached profile, or empty on a miss or when Redis fails. */
    public Mono<UserProfile> get(String id) {
        return redis.opsForValue()
                .get(key(id))
                .map(json -> Topics.USERS
                        .valueSerde()
                        .deserializer()
                        .deserialize(Topics.USERS.name(), json.getBytes(StandardCharsets.UTF_8)))
                .onErrorResume(e -> failed("get", e));
    }

    /** Caches {@code profile}; emits it whether or not Redis took it. */
    public Mono<UserProfile> put(UserProfile profile) {
        String json = new String(
                Topics.USERS.valueSerde().serializer().serialize(Topics.USERS.name(), profile), StandardCharsets.UTF_8);
        return redis.opsForValue()
                .set(key(profile.id()), json, properties.ttl())
                .onErrorResume(e -> failed("put", e))
                .thenReturn(profile);
    }

    /** Drops the cached profiles of {@code ids}. */
    public Mono<Void> evict(Collection<String> ids) {
        return redis.delete(ids.stream().map(this::key).toArray(String[]::new))
                .onErrorResume(e -> failed("evict", e))
                .then();
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
