package dev.herald.platform.redis;

import dev.herald.platform.net.SilentPeer;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How an app's Redis connection notices a server gone silent.
 *
 * @param networkTimeout how soon a Redis gone silent is noticed ({@link SilentPeer}): the connection is dropped,
 *     so commands fail at once and the client reconnects, instead of each command waiting out its timeout on a
 *     connection TCP would hold for 15 minutes
 */
@Validated
@ConfigurationProperties("herald.redis")
public record HeraldRedisProperties(
        @DefaultValue("10s") @DurationMin(seconds = 1) Duration networkTimeout) {}
