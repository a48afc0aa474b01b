package dev.herald.platform.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox relay of an app that owns a database.
 *
 * @param relayEnabled run the relay in this instance (several may run; one publishes at a time)
 * @param pollInterval how often the relay looks for new rows when idle
 * @param batchSize rows published per transaction
 * @param publishTimeout how long a send may take before it fails for good; a batch left unfinished (a crash, a
 *     broker outage) is published again twice this long after it was claimed
 */
@ConfigurationProperties("herald.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean relayEnabled,
        @DefaultValue("100ms") Duration pollInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("10s") Duration publishTimeout) {}
