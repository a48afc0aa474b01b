package dev.herald.platform.delivery;

import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.Topics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes status events to {@code notifications.status} and waits for the broker: a sink commits a record's
 * offset only after its outcome is recorded.
 */
public final class StatusPublisher {

    private final KafkaTemplate<String, StatusEvent> kafka;
    private final Duration timeout;

    public StatusPublisher(KafkaTemplate<String, StatusEvent> kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** Publishes {@code event} keyed by its notification id; throws when the broker does not acknowledge it. */
    public void publish(StatusEvent event) {
        try {
            kafka.send(Topics.STATUS.name(), event.notificationId().toString(), event)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while recording a status event", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not record status " + event.status() + " of " + event.notificationId(), e);
        }
    }
}
