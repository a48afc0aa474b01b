package dev.herald.platform.delivery;

import dev.herald.schemas.DeliveryMessage;
import dev.herald.schemas.kafka.InvalidRecordException;
import dev.herald.schemas.kafka.TopicNames;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Listener containers for a sink's lanes. Records arrive as raw bytes, so a dead-lettered record is exactly
 * what was read. Retryable failures are tried again after a pause, up to {@code herald.delivery.attempts};
 * then, like unreadable records, they go to {@code <lane>-dlt} with Spring Kafka's exception headers, and a
 * {@code DEAD_LETTERED} status event is recorded. Offsets are committed per record, after its outcome.
 */
public final class DeliveryListenerFactory {

    private static final Logger log = LoggerFactory.getLogger(DeliveryListenerFactory.class);

    private DeliveryListenerFactory() {}

    public static <M extends DeliveryMessage> ConcurrentKafkaListenerContainerFactory<String, byte[]> create(
            KafkaProperties kafka,
            KafkaTemplate<String, byte[]> deadLetters,
            Deliveries<M> deliveries,
            DeliveryProperties properties) {
        DeadLetterPublishingRecoverer toDeadLetterTopic = new DeadLetterPublishingRecoverer(
                deadLetters,
                (record, e) -> new TopicPartition(record.topic() + TopicNames.DEAD_LETTER_SUFFIX, record.partition()));
        DefaultErrorHandler errors = new DefaultErrorHandler(
                (record, e) -> {
                    String topic = record.topic() + TopicNames.DEAD_LETTER_SUFFIX;
                    log.warn(
                            "Dead-lettering {}-{}@{} to {}: {}",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            topic,
                            e.toString());
                    // headers name the failure itself, not the container's wrapper around it
                    Exception failure = rootCause(e);
                    toDeadLetterTopic.accept(record, failure);
                    deliveries.deadLettered(record, failure, topic);
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
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(
                kafka.buildConsumerProperties(), new StringDeserializer(), new ByteArrayDeserializer()));
        factory.setCommonErrorHandler(errors);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }

    private static Exception rootCause(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null
                && !(cause instanceof RetryableDeliveryException)
                && !(cause instanceof InvalidRecordException)) {
            cause = cause.getCause();
        }
        return cause instanceof Exception exception ? exception : e;
    }
}
