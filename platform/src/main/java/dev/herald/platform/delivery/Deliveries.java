package dev.herald.platform.delivery;

import dev.herald.schemas.Channel;
import dev.herald.schemas.DeliveryMessage;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.Topic;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work a sink does for each record of its lanes: read the message (an unreadable one is dead-lettered
 * by the container), hand it to the provider, and record the outcome as a status event before the offset
 * is committed. A retryable failure is thrown, so the container tries the record again and, when attempts
 * run out, dead-letters it.
 */
public final class Deliveries<M extends DeliveryMessage> {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    private final Channel channel;
    private final Function<Priority, Topic<String, M>> lanes;
    private final Function<M, DeliveryOutcome> provider;
    private final StatusPublisher status;
    private final String source;
    private final Clock clock;

    /**
     * @param channel the channel this sink delivers
     * @param lanes the channel's lane for each priority, from the topic catalogue
     * @param provider sends one message and says what happened; must not throw
     * @param status where outcomes are recorded
     * @param source the sink's name in status events
     */
    public Deliveries(
            Channel channel,
            Function<Priority, Topic<String, M>> lanes,
            Function<M, DeliveryOutcome> provider,
            StatusPublisher status,
            String source,
            Clock clock) {
        this.channel = channel;
        this.lanes = lanes;
        this.provider = provider;
        this.status = status;
        this.source = source;
        this.clock = clock;
    }

    /** The channel this sink delivers. */
    public Channel channel() {
        return channel;
    }

    /** The channel's lane for {@code priority}. */
    public Topic<String, M> lane(Priority priority) {
        return lanes.apply(priority);
    }

    /** Delivers the message in {@code record}, as read from one of the lanes. */
    public void deliver(ConsumerRecord<String, byte[]> record) {
        M message = read(record.topic(), record.value());
        switch (provider.apply(message)) {
            case DeliveryOutcome.Sent sent ->
                record(message, Status.SENT, null, Map.of("providerMessageId", sent.providerMessageId()));
            case DeliveryOutcome.Permanent failed -> {
                log.info(
                        "Notification {} failed for good on {}: {}", message.notificationId(), source, failed.reason());
                record(message, Status.FAILED, failed.reason(), Map.of());
            }
            case DeliveryOutcome.Retryable retry -> throw new RetryableDeliveryException(retry.reason(), retry.cause());
        }
    }

    /** Records that {@code message} will be tried again after {@code failure}. */
    void retrying(M message, Exception failure, int attempt) {
        record(message, Status.RETRYING, failure.getMessage(), Map.of("attempt", Integer.toString(attempt)));
    }

    /** Records that {@code message} was parked on a dead-letter topic after {@code failure}. */
    void deadLettered(M message, Exception failure, String deadLetterTopic) {
        record(message, Status.DEAD_LETTERED, failure.getMessage(), Map.of("deadLetterTopic", deadLetterTopic));
    }

    /** Reads {@code record}'s message, or {@code null} when it cannot be read. */
    M readOrNull(ConsumerRecord<?, ?> record) {
        if (!(record.value() instanceof byte[] bytes)) {
            return null;
        }
        try {
            return read(record.topic(), bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Every lane of a channel has the same serdes. */
    private M read(String topic, byte[] bytes) {
        return lane(Priority.NORMAL).valueSerde().deserializer().deserialize(topic, bytes);
    }

    private void record(M message, Status outcome, String reason, Map<String, String> details) {
        status.publish(new StatusEvent(
                message.notificationId(),
                message.userId(),
                outcome,
                message.channel(),
                reason,
                source,
                clock.instant(),
                details));
    }
}
