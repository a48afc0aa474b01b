package dev.herald.ingest.submission;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publishTimeout how long a request may wait for the broker's acknowledgement before it is answered
 *     503 (the client may retry with the same id)
 * @param statusBaseUrl base URL of the status query API (enrich-stream), used in the {@code statusUrl} and
 *     {@code Location} of each answer
 */
@ConfigurationProperties("herald.ingest")
public record IngestProperties(
        @DefaultValue("5s") Duration publishTimeout,
        @DefaultValue("http://localhost:8083") URI statusBaseUrl) {}
