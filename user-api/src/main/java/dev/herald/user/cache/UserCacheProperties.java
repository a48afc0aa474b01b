package dev.herald.user.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis read cache of user profiles.
 *
 * @param keyPrefix prefix of every cache key
 * @param ttl how long a cached profile lives (writes evict it sooner)
 */
@ConfigurationProperties("herald.users.cache")
public record UserCacheProperties(
        @DefaultValue("herald:users:") String keyPrefix,
        @DefaultValue("10m") Duration ttl) {}
