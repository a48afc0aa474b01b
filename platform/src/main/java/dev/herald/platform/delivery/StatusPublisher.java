package dev.herald.platform.delivery;

import dev.herald.platform.kafka.DurableSend;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.Topics;
import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes status events to {@code notifications.status}, keyed by notification id, and waits for the
 * broker: a sink commits a record's offset only after its outcome is recorded.
 */
public final class StatusPublisher {

    private static final Logger log = LoggerFactory.getLogger(StatusPublisher.class);

    private final KafkaTemplate<String, StatusEvent> kafka;
    private final Duration timeout;

    public StatusPublisher(KafkaTemplate<String, StatusEvent> kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** Records an outcome, retrying until the broker has it (see {@link DurableSend}). */
    public void record(StatusEvent event) {
        DurableSend.untilAcknowledged(
                kafka, Topics.STATUS.name(), event.notificationId().toString(), event, timeout);
    }

    /** Records a passing fact (such as {@code RETRYING}) once; a failure is logged, not thrown. */
    public void tryRecord(StatusEvent event) {
        try {
            DurableSend.once(kafka, Topics.STATUS.name(), event.notificationId().toString(), event, timeout);
        } catch (KafkaException e) {
            log.warn("Could not record {} of {}: {}", event.status(), event.notificationId(), e.getMessage());
        }
    }
}
