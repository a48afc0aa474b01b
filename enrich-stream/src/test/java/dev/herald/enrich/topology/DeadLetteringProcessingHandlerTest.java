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
                new Scheduler.Input(deferred, null))) {
            assertThat(DeadLetteringProcessingHandler.requestIn(value))
                    .as("%s", value)
                    .contains(request);
        }
    }

    /** A status event that cannot be folded must not produce another, which would fail the same way. */
    @Test
    void findsNoneInAStatusEventACancellationOrNothing() {
        StatusEvent event = new StatusEvent(
                request.id(), "ana", Status.ACCEPTED, null, null, "enrich-stream", Fixtures.NOW, Map.of());
        for (Object value : java.util.Arrays.asList(
                event,
                new Scheduler.Input(null, new Cancellation(request.id(), null, Fixtures.NOW)),
                new Dispatch(List.of(event), List.of(), List.of(), null),
                null)) {
            assertThat(DeadLetteringProcessingHandler.requestIn(value))
                    .as("%s", value)
                    .isEmpty();
        }
    }
}
