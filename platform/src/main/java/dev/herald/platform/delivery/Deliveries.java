package dev.herald.platform.delivery;

import dev.herald.schemas.Channel;
import dev.herald.schemas.DeliveryMessage;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.JsonSchemaSerde;
import dev.herald.schemas.kafka.Topic;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

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
                status.record(event(
                        Ref.of(message), Status.SENT, null, Map.of("providerMessageId", sent.providerMessageId())));
            case DeliveryOutcome.Permanent failed -> {
                log.info(
                        "Notification {} failed for good on {}: {}", message.notificationId(), source, failed.reason());
                status.record(event(Ref.of(message), Status.FAILED, failed.reason(), Map.of()));
            }
            case DeliveryOutcome.Retryable retry -> throw new RetryableDeliveryException(retry.reason(), retry.cause());
        }
    }

    /** Records that the message in {@code record} will be tried again after {@code failure}. */
    void retrying(ConsumerRecord<?, ?> record, Exception failure, int attempt) {
        identify(record)
                .ifPresent(ref -> status.tryRecord(event(
                        ref, Status.RETRYING, failure.getMessage(), Map.of("attempt", Integer.toString(attempt)))));
    }

    /** Records that the message in {@code record} was parked on a dead-letter topic after {@code failure}. */
    void deadLettered(ConsumerRecord<?, ?> record, Exception failure, String deadLetterTopic) {
        identify(record)
                .ifPresent(ref -> status.record(event(
                        ref, Status.DEAD_LETTERED, failure.getMessage(), Map.of("deadLetterTopic", deadLetterTopic))));
    }

    /**
     * The notification {@code record} belongs to: from the message when it can be read, else from its JSON
     * when that still names one (so a message that breaks its schema is still accounted for).
     */
    Optional<Ref> identify(ConsumerRecord<?, ?> record) {
        if (!(record.value() instanceof byte[] bytes)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Ref.of(read(record.topic(), bytes)));
        } catch (RuntimeException unreadable) {
            JsonNode document = JsonSchemaSerde.readTreeOrNull(bytes);
            if (document == null) {
                return Optional.empty();
            }
            try {
                UUID id = UUID.fromString(document.path("notificationId").asString(""));
                return Optional.of(new Ref(id, document.path("userId").asString(null), channel));
            } catch (IllegalArgumentException noId) {
                return Optional.empty();
            }
        }
    }

    /** Every lane of a channel has the same serdes. */
    private M read(String topic, byte[] bytes) {
        return lane(Priority.NORMAL).valueSerde().deserializer().deserialize(topic, bytes);
    }

    private StatusEvent event(Ref ref, Status outcome, String reason, Map<String, String> details) {
        return new StatusEvent(
                ref.notificationId(), ref.userId(), outcome, ref.channel(), reason, source, clock.instant(), details);
    }

    /** Which notification a lane record belongs to, as far as it can be told. */
    record Ref(UUID notificationId, String userId, Channel channel) {
        static Ref of(DeliveryMessage message) {
            return new Ref(message.notificationId(), message.userId(), message.channel());
        }
    }
}
