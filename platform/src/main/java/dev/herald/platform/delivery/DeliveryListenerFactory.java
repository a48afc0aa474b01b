package dev.herald.platform.delivery;

import dev.herald.platform.kafka.DeadLetters;
import dev.herald.schemas.DeliveryMessage;
import dev.herald.schemas.kafka.InvalidRecordException;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Listener containers for a sink's lanes. Records arrive as raw bytes, so a dead-lettered record is exactly
 * what was read. Retryable failures are tried again after a pause, up to {@code herald.delivery.attempts};
 * then, like unreadable records, they go to {@code <lane>-dlt} with Spring Kafka's exception headers, and a
 * {@code DEAD_LETTERED} status event is recorded. Offsets are committed per record, after its outcome.
 */
public final class DeliveryListenerFactory {

    private DeliveryListenerFactory() {}

    public static <M extends DeliveryMessage> ConcurrentKafkaListenerContainerFactory<String, byte[]> create(
            KafkaProperties kafka,
            KafkaTemplate<String, byte[]> deadLetters,
            Deliveries<M> deliveries,
            DeliveryProperties properties) {
        ConsumerRecordRecoverer toDeadLetterTopic =
                DeadLetters.recoverer(deadLetters, RetryableDeliveryException.class);
        DefaultErrorHandler errors = new DefaultErrorHandler(
                (record, e) -> {
                    toDeadLetterTopic.accept(record, e);
                    deliveries.deadLettered(record, rootCause(e), DeadLetters.topicOf(record.topic()));
                },
                new FixedBackOff(properties.backoff().toMillis(), properties.attempts() - 1L));
        errors.defaultFalse();
        // only the provider's passing failures: retrying after it accepted a message would send it twice
        errors.addRetryableExceptions(RetryableDeliveryException.class);
        errors.addNotRetryableExceptions(InvalidRecordException.class);
        errors.setRetryListeners((record, e, attempt) -> {
            if (attempt < properties.attempts()) {
                deliveries.retrying(record, rootCause(e), attempt);
            }
        });
        return DeadLetters.rawListeners(kafka, errors);
    }

    private static Exception rootCause(Exception e) {
        return DeadLetters.rootCause(e, RetryableDeliveryException.class);
    }
}
