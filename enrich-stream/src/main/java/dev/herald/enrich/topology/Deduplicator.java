package dev.herald.enrich.topology;

import dev.herald.enrich.scheduling.Scheduler;
import dev.herald.schemas.NotificationRequest;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a request whose notification id was already seen within the window, so a producer's retry or a
 * client's resubmission is delivered once. The {@value #STORE} window store keeps the ids, by the time of
 * their record, and forgets them after the window. A request the scheduler releases is the same
 * notification coming back, not a duplicate: it passes, marked as released.
 */
final class Deduplicator implements FixedKeyProcessor<String, NotificationRequest, Deduplicator.Incoming> {

    static final String STORE = "request-ids";

    private static final Logger log = LoggerFactory.getLogger(Deduplicator.class);

    private final long windowMs;
    private FixedKeyProcessorContext<String, Incoming> context;
    private WindowStore<String, Long> seen;

    Deduplicator(Duration window) {
        this.windowMs = window.toMillis();
    }

    /** A request, and whether the scheduler released it after holding it back. */
    record Incoming(NotificationRequest request, boolean released) {}

    @Override
    public void init(FixedKeyProcessorContext<String, Incoming> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, NotificationRequest> record) {
        boolean released = record.headers().lastHeader(Scheduler.RELEASED_HEADER) != null;
        if (!released) {
            String id = record.value().id().toString();
            long at = record.timestamp();
            try (WindowStoreIterator<Long> earlier = seen.fetch(id, at - windowMs, at + windowMs)) {
                if (earlier.hasNext()) {
                    log.info(
                            "Dropped a duplicate of notification {} for user {}",
                            id,
                            record.value().userId());
                    return;
                }
            }
            seen.put(id, at, at);
        }
        context.forward(record.withValue(new Incoming(record.value(), released)));
    }
}
