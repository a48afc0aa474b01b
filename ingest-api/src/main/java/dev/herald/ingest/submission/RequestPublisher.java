package dev.herald.ingest.submission;

import dev.herald.platform.failure.Causes;
import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.platform.web.Problems;
import dev.herald.schemas.Cancellation;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes requests to {@code notifications.requested}, keyed by recipient, and cancellations to
 * {@code notifications.cancellations}, keyed by notification id, and completes only when the broker has
 * acknowledged them ({@code acks=all}, idempotent producer). The producer's delivery timeout ({@code
 * herald.ingest.publish-timeout} + 100 ms) ends every send that the broker does not acknowledge in time, so the
 * request fails with 503 and never hangs; a timer a second later ends the wait in the rare case the producer
 * does not (it expires nothing while it waits for a new producer id from a broker it cannot reach). A record
 * larger than the producer or broker takes fails with 413: retrying it cannot help.
 */
@Component
class RequestPublisher {

    private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);

    private final Sender<NotificationRequest> requests;
    private final Sender<Cancellation> cancellations;

    @Autowired
    RequestPublisher(HeraldKafka heraldKafka, IngestProperties properties) {
        this(
                heraldKafka.template(Topics.REQUESTS, producerSettings(properties)),
                heraldKafka.template(Topics.CANCELLATIONS, producerSettings(properties)),
                properties.publishTimeout().plusSeconds(1));
    }

    /** @param backstop how long a send may wait at most, whatever the producer does */
    RequestPublisher(
            KafkaTemplate<String, NotificationRequest> requests,
            KafkaTemplate<String, Cancellation> cancellations,
            Duration backstop) {
        this.requests = new Sender<>(requests, Topics.REQUESTS, NotificationRequest::userId, backstop);
        this.cancellations = new Sender<>(
                cancellations, Topics.CANCELLATIONS, c -> c.notificationId().toString(), backstop);
    }

    /** Producer settings that bound every send by the publish timeout. */
    static Map<String, Object> producerSettings(IngestProperties properties) {
        int timeoutMs = (int) properties.publishTimeout().toMillis();
        return Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 100);
    }

    /** Completes once the broker acknowledged {@code request}; fails with 503 when it does not in time. */
    Mono<Void> publish(NotificationRequest request) {
        return firstOutcome(publishAll(List.of(request)));
    }

    /**
     * Sends every request (once one is refused the rest are not tried) and emits, in request order, nothing for
     * an acknowledged request or the 503 of one that was not acknowledged in time.
     */
    Flux<Optional<ErrorResponseException>> publishAll(List<NotificationRequest> batch) {
        return requests.sendAll(
                batch,
                request -> "notification " + request.id(),
                "The notification could not be stored; retry with the same id.");
    }

    /** Completes once the broker acknowledged {@code cancellation}; fails with 503 when it does not in time. */
    Mono<Void> cancel(Cancellation cancellation) {
        return firstOutcome(cancellations.sendAll(
                List.of(cancellation),
                c -> "the cancellation of notification " + c.notificationId(),
                "The cancellation could not be stored; retry."));
    }

    private static Mono<Void> firstOutcome(Flux<Optional<ErrorResponseException>> outcomes) {
        return outcomes.next().flatMap(outcome -> outcome.map(Mono::<Void>error).orElseGet(Mono::empty));
    }

    /**
     * Sends to one topic. {@code send()} blocks while the producer waits for the topic's metadata or for buffer
     * space. Neither happens while the broker keeps up, so a single record is sent from the caller's thread (an
     * event loop) when the broker acknowledged, within the last second, a send made after the last failure, and
     * fewer than {@value #MAX_INLINE_UNACKNOWLEDGED} sends await their acknowledgement: that saves a thread
     * hand-off per request. Otherwise (a batch, the first send, quiet traffic, a broker that fails or falls behind)
     * the send goes to a worker thread, where blocking harms no other request.
     */
    private static final class Sender<V> {

        /** How long after an acknowledgement the topic counts as warm. */
        private static final long WARM_NANOS = Duration.ofSeconds(1).toNanos();

        /**
         * Past this many sends awaiting acknowledgement, the broker is falling behind: no send from an event loop.
         * Records of up to 128 KB that many fit in the producer's 32 MB buffer.
         */
        private static final int MAX_INLINE_UNACKNOWLEDGED = 256;

        private final KafkaTemplate<String, V> kafka;
        private final String topic;
        private final Function<V, String> key;
        private final Duration backstop;
        private final AtomicInteger unacknowledged = new AtomicInteger();

        /** When ({@link System#nanoTime()}) the broker last acknowledged a send made after the last failure. */
        private volatile long lastAck;

        /** When the last send failed. */
        private volatile long lastFailure;

        private volatile boolean acknowledgedOnce;
        private volatile boolean failedOnce;

        Sender(KafkaTemplate<String, V> kafka, Topic<String, V> topic, Function<V, String> key, Duration backstop) {
            this.kafka = kafka;
            this.topic = topic.name();
            this.key = key;
            this.backstop = backstop;
        }

        Flux<Optional<ErrorResponseException>> sendAll(List<V> values, Function<V, String> what, String retryAdvice) {
            Mono<List<CompletableFuture<?>>> sends = Mono.fromCallable(() -> send(values));
            if (values.size() > 1 || !warm()) {
                sends = sends.subscribeOn(Schedulers.boundedElastic());
            }
            return sends.flatMapMany(acks -> Flux.range(0, acks.size())
                    .flatMapSequential(
                            i -> Mono.fromFuture(acks.get(i))
                                    .timeout(backstop)
                                    .thenReturn(Optional.<ErrorResponseException>empty())
                                    .onErrorResume(e ->
                                            Mono.just(Optional.of(refused(what.apply(values.get(i)), retryAdvice, e)))),
                            Math.max(1, acks.size())));
        }

        private boolean warm() {
            long now = System.nanoTime();
            return acknowledgedOnce
                    && now - lastAck < WARM_NANOS
                    && (!failedOnce || lastAck - lastFailure > 0)
                    && unacknowledged.get() < MAX_INLINE_UNACKNOWLEDGED;
        }

        private List<CompletableFuture<?>> send(List<V> values) {
            List<CompletableFuture<?>> acks = new ArrayList<>(values.size());
            RuntimeException refused = null;
            for (V value : values) {
                if (refused == null) {
                    long sentAt = System.nanoTime();
                    unacknowledged.incrementAndGet();
                    try {
                        acks.add(kafka.send(topic, key.apply(value), value).whenComplete((ack, e) -> {
                            unacknowledged.decrementAndGet();
                            completed(sentAt, e);
                        }));
                        continue;
                    } catch (RuntimeException e) {
                        unacknowledged.decrementAndGet();
                        completed(sentAt, e);
                        refused = e;
                    }
                }
                acks.add(CompletableFuture.failedFuture(refused));
            }
            return acks;
        }

        /** Counts an acknowledgement only for a send made after the last failure, so a failing topic turns cold. */
        private void completed(long sentAt, Throwable failure) {
            long now = System.nanoTime();
            if (failure != null) {
                lastFailure = now;
                failedOnce = true;
            } else if (!failedOnce || sentAt - lastFailure > 0) {
                lastAck = now;
                acknowledgedOnce = true;
            }
        }
    }

    /** 413 for a record too large to store, else 503: the broker did not take it in time. */
    private static ErrorResponseException refused(String what, String retryAdvice, Throwable e) {
        log.warn("Could not publish {}: {}", what, e.toString());
        if (Causes.any(e, RecordTooLargeException.class)) {
            return new ErrorResponseException(
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.PAYLOAD_TOO_LARGE,
                            "The request is larger than the broker accepts as one record; send less data."),
                    e);
        }
        return Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE, retryAdvice, e);
    }
}
