package dev.herald.platform.redis;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How an app's Redis connection notices a server gone silent.
 *
 * @param networkTimeout longest a command sent to Redis may go unacknowledged before the connection is dropped
 *     (Linux's {@code TCP_USER_TIMEOUT}), and how long the connection may be idle before keep-alive probes check
 *     that the server is still there. Once it is dropped, commands fail at once and the client reconnects, instead
 *     of each command waiting out its timeout on a connection TCP would hold for 15 minutes
 */
@Validated
@ConfigurationProperties("herald.redis")
public record HeraldRedisProperties(
        @DefaultValue("10s") @DurationMin(seconds = 1) Duration networkTimeout) {}
