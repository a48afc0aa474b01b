package dev.herald.platform.db;

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
 *     A {@code statementTimeout} in {@code spring.r2dbc.url} or {@code spring.r2dbc.properties} wins
 * @param networkTimeout longest data sent to PostgreSQL may go unacknowledged before the connection is dropped
 *     (Linux's {@code TCP_USER_TIMEOUT}), and how long a connection may be idle before keep-alive probes check
 *     that the server is still there: a database host that went away without a word fails the queries under way
 *     within this time, not after TCP's 15 minutes of retransmissions
 */
@Validated
@ConfigurationProperties("herald.database")
public record DatabaseProperties(
        @DefaultValue("10s") @DurationMin(millis = 1) Duration statementTimeout,
        @DefaultValue("15s") @DurationMin(seconds = 1) Duration networkTimeout) {}
