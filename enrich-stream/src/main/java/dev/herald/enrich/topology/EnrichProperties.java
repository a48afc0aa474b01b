package dev.herald.enrich.topology;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * enrich-stream's own settings.
 *
 * @param dedupeWindow how long a notification id is remembered to drop its duplicates
 * @param releaseInterval how often held-back notifications are checked for being due
 * @param cancellationMemory how long a cancellation that arrives before its notification is held back is
 *     remembered
 * @param maxScheduleAhead how far ahead a request's {@code scheduledAt} may be (ingest-api refuses more by its
 *     own {@code herald.ingest.max-schedule-ahead}; this bounds direct producers): a request scheduled further
 *     ahead is rejected, not held
 */
@ConfigurationProperties("herald.enrich")
public record EnrichProperties(
        @DefaultValue("24h") Duration dedupeWindow,
        @DefaultValue("1s") Duration releaseInterval,
        @DefaultValue("24h") Duration cancellationMemory,
        @DefaultValue("30d") Duration maxScheduleAhead) {

    /** The defaults, for tests. */
    public static EnrichProperties defaults() {
        return new EnrichProperties(
                Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofHours(24), Duration.ofDays(30));
    }
}
