package dev.herald.user.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis read cache of user profiles.
 *
 * @param keyPrefix prefix of every cache key
 * @param ttl how long a cached profile lives (writes evict it sooner)
 * @param repairInterval how often the cache is retried for the writes whose cache update Redis did not take
 * @param maxUnrefreshed how many such writes are remembered one by one; past that, every cached profile is cleared
 *     once Redis answers again
 */
@ConfigurationProperties("herald.users.cache")
public record UserCacheProperties(
        @DefaultValue("herald:users:") String keyPrefix,
        @DefaultValue("10m") Duration ttl,
        @DefaultValue("1s") Duration repairInterval,
        @DefaultValue("10000") int maxUnrefreshed) {}
