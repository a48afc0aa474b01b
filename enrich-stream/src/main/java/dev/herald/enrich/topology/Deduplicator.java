package dev.herald.enrich.topology;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.enrich.scheduling.Scheduler;
import dev.herald.schemas.NotificationRequest;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
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
 * notification coming back, not a duplicate: it passes, marked as released, once per hold (a copy of the
 * released record, from a replay of the topic say, is dropped).
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
        Header release = record.headers().lastHeader(Scheduler.RELEASED_HEADER);
        String id = record.value().id().toString();
        // a release is seen once per hold: a copy of it (a topic replayed, a record mirrored with its headers)
        // is dropped, while a later hold's release passes
        String seenAs =
                release == null ? id : id + "@" + (release.value() == null ? "" : new String(release.value(), UTF_8));
        long at = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(seenAs, at - windowMs, at + windowMs)) {
            if (earlier.hasNext()) {
                log.info(
                        "Dropped a duplicate of notification {} for user {}{}",
                        id,
                        record.value().userId(),
                        release == null ? "" : " (a release it was already given)");
                return;
            }
        }
        seen.put(seenAs, at, at);
        context.forward(record.withValue(new Incoming(record.value(), release != null)));
    }
}
