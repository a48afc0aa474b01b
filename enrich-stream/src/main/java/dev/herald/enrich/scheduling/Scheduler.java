package dev.herald.enrich.scheduling;

import dev.herald.schemas.Cancellation;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds deferred requests until they are due and honours cancellations, both keyed by notification id.
 *
 * <p>The {@value #HELD_STORE} store maps a notification id to what is held for it: the request, or a
 * cancellation that arrived before its request (the two reach this processor on different paths, so either
 * may come first). The {@value #DUE_STORE} store indexes them by time ({@link #dueKey}), so a wall-clock
 * punctuator finds what is due with one range scan. A due request is forwarded, keyed by its recipient and
 * marked with the {@value #RELEASED_HEADER} header (the time it was held until), to go through enrich-stream
 * again; an expired early
 * cancellation is forgotten.
 *
 * <p>Outputs are {@link Output}s: a status event keyed by notification id, or a released request keyed by
 * user id.
 */
public final class Scheduler implements Processor<String, Scheduler.Input, String, Scheduler.Output> {

    public static final String HELD_STORE = "scheduled-requests";
    public static final String DUE_STORE = "scheduled-requests-by-time";

    /**
     * Marks a request the scheduler released, with the time it was held until: enrich-stream takes it for the
     * same notification coming back, once per hold.
     */
    public static final String RELEASED_HEADER = "herald-released";

    static final String SOURCE = "enrich-stream";

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final Duration interval;
    private final Duration cancellationMemory;
    private ProcessorContext<String, Output> context;
    private KeyValueStore<String, Held> held;
    private KeyValueStore<String, String> due;

    /**
     * @param interval how often due requests are looked for
     * @param cancellationMemory how long a cancellation that came before its request is remembered
     */
    public Scheduler(Duration interval, Duration cancellationMemory) {
        this.interval = interval;
        this.cancellationMemory = cancellationMemory;
    }

    /** Either a deferred request or a cancellation. */
    public record Input(Deferred deferred, Cancellation cancellation) {}

    /** Either a status event or a released request. */
    public record Output(StatusEvent event, NotificationRequest released) {}

    /**
     * What is held for one notification: its request until {@code until}, or a cancellation that came first,
     * remembered until {@code until}.
     */
    public record Held(NotificationRequest request, Cancellation cancellation, Instant until) {}

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.held = context.getStateStore(HELD_STORE);
        this.due = context.getStateStore(DUE_STORE);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::release);
    }

    @Override
    public void process(Record<String, Input> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (record.value().deferred() != null) {
            hold(record.value().deferred(), now);
        } else if (record.value().cancellation() != null) {
            cancel(record.value().cancellation(), now);
        }
    }

    private void hold(Deferred deferred, Instant now) {
        NotificationRequest request = deferred.request();
        String id = request.id().toString();
        Held before = held.get(id);
        if (before != null && before.cancellation() != null) {
            forget(id, before);
            emitCancelled(request, before.cancellation(), now);
            return;
        }
        if (before != null) {
            due.delete(dueKey(before.until(), id));
        }
        held.put(id, new Held(request, null, deferred.until()));
        due.put(dueKey(deferred.until(), id), id);
    }

    private void cancel(Cancellation cancellation, Instant now) {
        String id = cancellation.notificationId().toString();
        Held before = held.get(id);
        if (before == null) {
            Held early = new Held(null, cancellation, now.plus(cancellationMemory));
            held.put(id, early);
            due.put(dueKey(early.until(), id), id);
        } else if (before.request() != null) {
            forget(id, before);
            emitCancelled(before.request(), cancellation, now);
        }
    }

    /** Releases every request that is due and forgets expired early cancellations. */
    void release(long timestamp) {
        Instant now = Instant.ofEpochMilli(timestamp);
        List<KeyValue<String, String>> ready = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.range(dueKey(Instant.EPOCH, ""), dueKey(now, "~"))) {
            it.forEachRemaining(ready::add);
        }
        for (KeyValue<String, String> entry : ready) {
            due.delete(entry.key);
            Held what = held.get(entry.value);
            if (what == null || !entry.key.equals(dueKey(what.until(), entry.value))) {
                continue;
            }
            held.delete(entry.value);
            if (what.request() != null) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(RELEASED_HEADER, what.until().toString().getBytes(StandardCharsets.UTF_8));
                context.forward(
                        new Record<>(what.request().userId(), new Output(null, what.request()), timestamp, headers));
                log.debug("Released notification {} held until {}", entry.value, what.until());
            }
        }
    }

    private void forget(String id, Held what) {
        held.delete(id);
        due.delete(dueKey(what.until(), id));
    }

    private void emitCancelled(NotificationRequest request, Cancellation cancellation, Instant now) {
        String by = cancellation.requestedBy() == null ? "" : " by " + cancellation.requestedBy();
        StatusEvent event = new StatusEvent(
                request.id(),
                request.userId(),
                Status.CANCELLED,
                null,
                "cancelled" + by + " before it was due",
                SOURCE,
                now,
                Map.of("requestedAt", cancellation.requestedAt().toString()));
        context.forward(new Record<>(
                request.id().toString(), new Output(event, null), now.toEpochMilli(), new RecordHeaders()));
    }

    /** Sorts by time: the epoch milliseconds zero-padded, then the notification id. */
    static String dueKey(Instant until, String id) {
        return String.format("%020d/%s", until.toEpochMilli(), id);
    }
}
