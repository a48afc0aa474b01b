package dev.herald.ingest.submission;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param publishTimeout how long a request may wait for the broker's acknowledgement before it is answered
 *     503 (the client may retry with the same id)
 * @param statusBaseUrl base URL of the status query API (enrich-stream), used in the {@code statusUrl} and
 *     {@code Location} of each answer
 * @param maxScheduleAhead how far ahead {@code scheduledAt} may be
 * @param scheduleTolerance how far in the past {@code scheduledAt} may be (clock skew between client and
 *     Herald); further back is refused
 * @param idempotencyTtl how long an {@code Idempotency-Key} and its answer are kept
 * @param rateLimit the default token bucket of every client, and per-client buckets by client id
 */
@Validated
@ConfigurationProperties("herald.ingest")
public record IngestProperties(
        @DefaultValue("5s") Duration publishTimeout,
        @DefaultValue("http://localhost:8083") URI statusBaseUrl,
        @DefaultValue("30d") Duration maxScheduleAhead,
        @DefaultValue("5m") Duration scheduleTolerance,
        @DefaultValue("24h") Duration idempotencyTtl,
        @DefaultValue @Valid RateLimit rateLimit) {

    public IngestProperties {
        // answers end the status URL with the id
        if (statusBaseUrl.getRawQuery() != null || statusBaseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "herald.ingest.status-base-url must have no query or fragment: " + statusBaseUrl);
        }
    }

    /**
     * Token buckets: a client may send {@code capacity} notifications at once and {@code perSecond} a second
     * on average; a batch costs one token per item.
     *
     * @param enabled whether requests are rate limited at all
     * @param capacity the default bucket size
     * @param perSecond the default refill rate
     * @param clients buckets of particular clients, by the token's {@code client_id}
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("2000") @Min(1) int capacity,
            @DefaultValue("1000") @Min(1) int perSecond,
            Map<String, @Valid Bucket> clients) {

        public RateLimit {
            clients = clients == null ? Map.of() : Map.copyOf(clients);
        }

        /** The bucket of {@code client}. */
        public Bucket bucketOf(String client) {
            return clients.getOrDefault(client, new Bucket(capacity, perSecond));
        }
    }

    /**
     * @param capacity most tokens held (the burst)
     * @param perSecond tokens added a second
     */
    public record Bucket(@Min(1) int capacity, @Min(1) int perSecond) {}
}
