package dev.herald.user.feedback;

import dev.herald.platform.db.Databases;
import dev.herald.platform.kafka.DeadLetters;
import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.schemas.EmailFeedback;
import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.kafka.InvalidRecordException;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import dev.herald.user.profile.UserService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import reactor.core.publisher.Mono;

/**
 * What the sinks learn about recipients: push tokens FCM refused for good ({@code devices.invalid}) and
 * bounced or complained-about addresses ({@code emails.feedback}). Each changes the profile, which is
 * published again, so enrich-stream stops routing to the dead token or address.
 *
 * <p>Handling is idempotent, so redelivery is harmless. A record that is not valid goes to {@code
 * <topic>-dlt} at once; while PostgreSQL is unreachable the record is retried without end (the partition
 * waits, nothing is skipped); any other failure is retried a few times, then dead-lettered.
 */
@Configuration(proxyBeanMethods = false)
class FeedbackListeners {

    private static final Logger log = LoggerFactory.getLogger(FeedbackListeners.class);

    static final String CONTAINER_FACTORY = "feedbackListenerContainerFactory";

    private static final Duration HANDLING_TIMEOUT = Duration.ofSeconds(30);

    private final UserService users;

    FeedbackListeners(UserService users) {
        this.users = users;
    }

    @KafkaListener(
            id = "herald-user-api-invalid-devices",
            groupId = "herald-user-api",
            topics = "devices.invalid",
            containerFactory = CONTAINER_FACTORY)
    void onInvalidDevice(ConsumerRecord<String, byte[]> record) {
        InvalidDevice invalid = read(Topics.INVALID_DEVICES, record);
        boolean removed = changed(users.removeInvalidDevice(invalid));
        log.info(
                "FCM refused a token of user {} ({}): {}",
                invalid.userId(),
                invalid.reason(),
                removed ? "removed" : "already gone or registered again since");
    }

    @KafkaListener(
            id = "herald-user-api-email-feedback",
            groupId = "herald-user-api",
            topics = "emails.feedback",
            containerFactory = CONTAINER_FACTORY)
    void onEmailFeedback(ConsumerRecord<String, byte[]> record) {
        EmailFeedback feedback = read(Topics.EMAIL_FEEDBACK, record);
        boolean changed = changed(users.applyEmailFeedback(feedback));
        log.info(
                "Email feedback for user {}: {}; {}",
                feedback.userId(),
                feedback.type(),
                changed ? "address marked" : "no change (already marked, another address, or no such user)");
    }

    /** The record's value; a record without one (a tombstone) is not valid here. */
    private static <T> T read(Topic<String, T> topic, ConsumerRecord<String, byte[]> record) {
        T value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (value == null) {
            throw new InvalidRecordException(topic.name(), List.of("$: the record has no value"), null);
        }
        return value;
    }

    /** Waits for a change on the listener thread; a hung database fails the record, which is then retried. */
    private static boolean changed(Mono<Boolean> change) {
        return Boolean.TRUE.equals(change.block(HANDLING_TIMEOUT));
    }

    @Bean(CONTAINER_FACTORY)
    static ConcurrentKafkaListenerContainerFactory<String, byte[]> feedbackListenerContainerFactory(
            KafkaProperties kafka, HeraldKafka heraldKafka) {
        DefaultErrorHandler errors =
                new DefaultErrorHandler(DeadLetters.recoverer(heraldKafka.rawTemplate(Map.of())), limited());
        errors.addNotRetryableExceptions(InvalidRecordException.class);
        errors.setBackOffFunction((record, e) -> Databases.unavailable(e) ? unlimited() : null);
        return DeadLetters.rawListeners(kafka, errors);
    }

    private static ExponentialBackOff limited() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
        backOff.setMaxAttempts(4);
        return backOff;
    }

    private static ExponentialBackOff unlimited() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2);
        backOff.setMaxInterval(10_000);
        return backOff;
    }
}
