package dev.herald.platform.kafka;

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
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Dead-lettering for listener containers: a record a listener gives up on goes, exactly as it was read, to
 * {@code <topic>-dlt} (same partition) with Spring Kafka's exception headers naming the failure itself.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {}

    /**
     * Listener containers that read records as raw bytes (so a dead-lettered record is exactly what was read),
     * with {@code errors} deciding retries and dead-lettering, committing each record's offset after it.
     */
    public static ConcurrentKafkaListenerContainerFactory<String, byte[]> rawListeners(
            KafkaProperties kafka, CommonErrorHandler errors) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(
                kafka.buildConsumerProperties(), new StringDeserializer(), new ByteArrayDeserializer()));
        factory.setCommonErrorHandler(errors);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }

    /** The dead-letter topic of {@code topic}. */
    public static String topicOf(String topic) {
        return topic + TopicNames.DEAD_LETTER_SUFFIX;
    }

    /**
     * Publishes a given-up record to its dead-letter topic with {@code template}, and logs it; the headers name
     * the {@link #rootCause root cause}, or the outermost exception of a {@code meaningful} type.
     */
    @SafeVarargs
    public static ConsumerRecordRecoverer recoverer(
            KafkaTemplate<String, byte[]> template, Class<? extends Exception>... meaningful) {
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(
                template, (record, e) -> new TopicPartition(topicOf(record.topic()), record.partition()));
        return (record, e) -> {
            Exception failure = rootCause(e, meaningful);
            log.warn(
                    "Dead-lettering {}-{}@{} to {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    topicOf(record.topic()),
                    failure.toString());
            publisher.accept(record, failure);
        };
    }

    /**
     * The failure a container's wrapper exceptions are about: the innermost cause, or the outermost exception of
     * one of the {@code meaningful} types (which keep their own causes).
     */
    @SafeVarargs
    public static Exception rootCause(Exception e, Class<? extends Exception>... meaningful) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof InvalidRecordException) && !isAny(cause, meaningful)) {
            cause = cause.getCause();
        }
        return cause instanceof Exception exception ? exception : e;
    }

    private static boolean isAny(Throwable t, Class<?>[] types) {
        for (Class<?> type : types) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
