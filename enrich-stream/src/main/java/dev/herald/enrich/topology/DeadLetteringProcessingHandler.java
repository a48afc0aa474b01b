package dev.herald.enrich.topology;

import dev.herald.enrich.dispatch.Dispatch;
import dev.herald.enrich.dispatch.Dispatcher;
import dev.herald.enrich.scheduling.Deferred;
import dev.herald.enrich.scheduling.Scheduler;
import dev.herald.enrich.topology.Deduplicator.Incoming;
import dev.herald.enrich.topology.NotificationTopology.Recipient;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record a processor failed on goes to the dead-letter topic ({@code errors.dead.letter.queue.topic.name}), as
 * Kafka Streams' own handler sends it (the record the failing step read: after a repartition, the internal topic's),
 * and the topology goes on; when the record carries a notification request (read, joined, held or released, not a
 * dispatch's rendered messages), a {@code DEAD_LETTERED} status event saying why goes to {@code
 * notifications.status} with it, in the same transaction, with the client's metadata (the request may have failed
 * before its {@code ACCEPTED} event). Without it such a request, accepted with a 202, left no
 * trace but the dead-letter record: its status URL answered 404 for good. The events folded into the status store
 * are not among those records, so a failure to fold one never produces another.
 */
public class DeadLetteringProcessingHandler extends LogAndContinueProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringProcessingHandler.class);

    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        deadLetterTopic = (String) configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Response response = super.handleError(context, record, exception);
        // a punctuator that throws (the scheduler's release) is reported with no record
        Optional<NotificationRequest> request = record == null ? Optional.empty() : requestIn(record.value());
        if (request.isEmpty()) {
            return response;
        }
        log.error(
                "Notification {} failed in {} and is dead-lettered",
                request.get().id(),
                context.processorNodeId(),
                exception);
        StatusEvent event = new StatusEvent(
                request.get().id(),
                request.get().userId(),
                Status.DEAD_LETTERED,
                null,
                "enrich-stream failed on it (" + exception + ")"
                        + (deadLetterTopic == null ? "" : "; the request is kept on " + deadLetterTopic),
                Dispatcher.SOURCE,
                Instant.now(),
                deadLetterTopic == null ? Map.of() : Map.of("deadLetterTopic", deadLetterTopic),
                request.get().metadata());
        String key = event.notificationId().toString();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(response.deadLetterQueueRecords());
        records.add(new ProducerRecord<>(
                Topics.STATUS.name(),
                null,
                context.timestamp(),
                Topics.STATUS.keySerde().serializer().serialize(Topics.STATUS.name(), key),
                Topics.STATUS.valueSerde().serializer().serialize(Topics.STATUS.name(), event)));
        return response.result() == Result.RESUME ? Response.resume(records) : Response.fail(records);
    }

    /** The notification request {@code value} carries, at whichever step of the topology it failed. */
    static Optional<NotificationRequest> requestIn(Object value) {
        return Optional.ofNullable(
                switch (value) {
                    case NotificationRequest request -> request;
                    case Incoming incoming -> incoming.request();
                    case Recipient recipient -> recipient.incoming().request();
                    case Dispatch dispatch ->
                        dispatch.deferred() == null ? null : dispatch.deferred().request();
                    case Deferred deferred -> deferred.request();
                    case Scheduler.Input input ->
                        input.deferred() == null ? null : input.deferred().request();
                    case Scheduler.Output output -> output.released();
                    case null, default -> null;
                });
    }
}
