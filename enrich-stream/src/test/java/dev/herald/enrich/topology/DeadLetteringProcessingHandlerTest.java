package dev.herald.enrich.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.enrich.Fixtures;
import dev.herald.enrich.dispatch.Dispatch;
import dev.herald.enrich.scheduling.Deferred;
import dev.herald.enrich.scheduling.Scheduler;
import dev.herald.enrich.topology.Deduplicator.Incoming;
import dev.herald.enrich.topology.NotificationTopology.Recipient;
import dev.herald.schemas.Cancellation;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetteringProcessingHandlerTest {

    private final NotificationRequest request = Fixtures.request("ana", "order-shipped");
    private final Deferred deferred = new Deferred(request, Fixtures.NOW);

    @Test
    void findsTheRequestAtEveryStepThatCarriesOne() {
        for (Object value : List.of(
                request,
                new Incoming(request, null),
                new Recipient(new Incoming(request, null), Fixtures.ana()),
                new Dispatch(List.of(), List.of(), List.of(), deferred),
                deferred,
                new Scheduler.Input(deferred, null),
                new Scheduler.Output(null, request))) {
            assertThat(DeadLetteringProcessingHandler.requestIn(value))
                    .as("%s", value)
                    .contains(request);
        }
    }

    /**
     * A punctuator that throws is reported without a record: the handler goes on as Kafka Streams' own does (it
     * threw, and a handler that throws stops the stream thread).
     */
    @Test
    void aFailedPunctuationHasNoRecordAndIsOnlyLogged() {
        DeadLetteringProcessingHandler handler = new DeadLetteringProcessingHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "notifications.dlq"));
        ProcessingExceptionHandler.Response response = handler.handleError(
                new DefaultErrorHandlerContext(
                        null, null, -1, -1, new RecordHeaders(), "scheduler", new TaskId(0, 0), 0L, null, null),
                null,
                new IllegalStateException("the store broke"));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        // Kafka's own dead-letter record of the punctuation, and no status event
        assertThat(response.deadLetterQueueRecords())
                .singleElement()
                .satisfies(dead -> assertThat(dead.topic()).isEqualTo("notifications.dlq"));
    }

    /** A status event that cannot be folded must not produce another, which would fail the same way. */
    @Test
    void findsNoneInAStatusEventACancellationOrNothing() {
        StatusEvent event = new StatusEvent(
                request.id(), "ana", Status.ACCEPTED, null, null, "enrich-stream", Fixtures.NOW, Map.of());
        for (Object value : java.util.Arrays.asList(
                event,
                new Scheduler.Input(null, new Cancellation(request.id(), null, Fixtures.NOW)),
                new Scheduler.Output(event, null),
                new Dispatch(List.of(event), List.of(), List.of(), null),
                null)) {
            assertThat(DeadLetteringProcessingHandler.requestIn(value))
                    .as("%s", value)
                    .isEmpty();
        }
    }
}
