package dev.herald.platform.db;

import dev.herald.platform.net.SilentPeer;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long an app waits for PostgreSQL on its R2DBC connections before the work fails (and a request gets 503).
 *
 * @param statementTimeout longest a statement may run before PostgreSQL cancels it (its {@code
 *     statement_timeout}): a locked table or an overloaded server fails the work instead of holding it for ever.
 *     A {@code statementTimeout}, or a {@code statement_timeout} in {@code options}, given in {@code
 *     spring.r2dbc.url} or {@code spring.r2dbc.properties} wins
 * @param networkTimeout how soon a database gone silent is noticed ({@link SilentPeer}): the connection is
 *     dropped, failing the work under way on it, instead of after TCP's 15 minutes of retransmissions
 */
@Validated
@ConfigurationProperties("herald.database")
public record DatabaseProperties(
        @DefaultValue("10s") @DurationMin(millis = 1) Duration statementTimeout,
        @DefaultValue("15s") @DurationMin(seconds = 1) Duration networkTimeout) {}
