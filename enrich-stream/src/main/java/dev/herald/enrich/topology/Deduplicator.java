package dev.herald.enrich.topology;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.enrich.scheduling.Scheduler;
import dev.herald.schemas.NotificationRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

    /**
     * A request, and, when the scheduler released it after holding it back, the time it was held until ({@link
     * Instant#EPOCH} for a release marked before the header carried it), else {@code null}.
     */
    record Incoming(NotificationRequest request, Instant heldUntil) {}

    @Override
    public void init(FixedKeyProcessorContext<String, Incoming> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, NotificationRequest> record) {
        Header release = record.headers().lastHeader(Scheduler.RELEASED_HEADER);
        Instant heldUntil = release == null ? null : heldUntil(release);
        String id = record.value().id().toString();
        // a release is seen once per hold: a copy of it (a topic replayed, a record mirrored with its headers)
        // is dropped, while a later hold's release passes; one marked the old way passes as it always did
        if (!Instant.EPOCH.equals(heldUntil)
                && seenBefore(heldUntil == null ? id : id + "@" + heldUntil, record.timestamp())) {
            log.info(
                    "Dropped a duplicate of notification {} for user {}{}",
                    id,
                    record.value().userId(),
                    heldUntil == null ? "" : " (a release it was already given)");
            return;
        }
        context.forward(record.withValue(new Incoming(record.value(), heldUntil)));
    }

    /** Whether {@code key} was seen within the window around {@code at}; remembers it when it was not. */
    private boolean seenBefore(String key, long at) {
        try (WindowStoreIterator<Long> earlier = seen.fetch(key, at - windowMs, at + windowMs)) {
            if (earlier.hasNext()) {
                return true;
            }
        }
        seen.put(key, at, at);
        return false;
    }

    /** The time the header says the request was held until; {@link Instant#EPOCH} when it does not say. */
    private static Instant heldUntil(Header release) {
        if (release.value() == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(new String(release.value(), UTF_8));
        } catch (DateTimeParseException notATime) {
            return Instant.EPOCH;
        }
    }
}
