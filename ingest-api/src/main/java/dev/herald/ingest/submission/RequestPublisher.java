package dev.herald.ingest.submission;

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
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
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
 * request fails with 503 and never hangs.
 */
@Component
class RequestPublisher {

    private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);

    private final Sender<NotificationRequest> requests;
    private final Sender<Cancellation> cancellations;

    RequestPublisher(HeraldKafka heraldKafka, IngestProperties properties) {
        this.requests = new Sender<>(
                heraldKafka.template(Topics.REQUESTS, producerSettings(properties)),
                Topics.REQUESTS,
                NotificationRequest::userId);
        this.cancellations = new Sender<>(
                heraldKafka.template(Topics.CANCELLATIONS, producerSettings(properties)),
                Topics.CANCELLATIONS,
                c -> c.notificationId().toString());
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
     * space; neither happens while the broker keeps acknowledging, so a single record is sent from the caller's
     * thread (an event loop) when the broker acknowledged a send within the last second and none has failed
     * since, saving a thread hand-off per request. Otherwise (a batch, the first send, quiet traffic, a broker
     * that stopped answering) the send goes to a worker thread.
     */
    private static final class Sender<V> {

        /** How long after an acknowledgement the topic counts as warm. */
        private static final long WARM_NANOS = Duration.ofSeconds(1).toNanos();

        private final KafkaTemplate<String, V> kafka;
        private final String topic;
        private final Function<V, String> key;

        /** When the broker last acknowledged a send ({@link System#nanoTime()}), if none has failed since. */
        private volatile long lastAck;

        private volatile boolean warm;

        Sender(KafkaTemplate<String, V> kafka, Topic<String, V> topic, Function<V, String> key) {
            this.kafka = kafka;
            this.topic = topic.name();
            this.key = key;
        }

        Flux<Optional<ErrorResponseException>> sendAll(List<V> values, Function<V, String> what, String retryAdvice) {
            Mono<List<CompletableFuture<?>>> sends = Mono.fromCallable(() -> send(values));
            if (values.size() > 1 || !warm()) {
                sends = sends.subscribeOn(Schedulers.boundedElastic());
            }
            return sends.flatMapMany(acks -> Flux.range(0, acks.size())
                    .flatMapSequential(
                            i -> Mono.fromFuture(acks.get(i))
                                    .doOnNext(ack -> acknowledged())
                                    .thenReturn(Optional.<ErrorResponseException>empty())
                                    .onErrorResume(e -> {
                                        warm = false;
                                        return Mono.just(
                                                Optional.of(unavailable(what.apply(values.get(i)), retryAdvice, e)));
                                    }),
                            Math.max(1, acks.size())));
        }

        private boolean warm() {
            return warm && System.nanoTime() - lastAck < WARM_NANOS;
        }

        private void acknowledged() {
            lastAck = System.nanoTime();
            warm = true;
        }

        private List<CompletableFuture<?>> send(List<V> values) {
            List<CompletableFuture<?>> acks = new ArrayList<>(values.size());
            RuntimeException refused = null;
            for (V value : values) {
                if (refused == null) {
                    try {
                        acks.add(kafka.send(topic, key.apply(value), value));
                        continue;
                    } catch (RuntimeException e) {
                        refused = e;
                    }
                }
                acks.add(CompletableFuture.failedFuture(refused));
            }
            return acks;
        }
    }

    private static ErrorResponseException unavailable(String what, String retryAdvice, Throwable e) {
        log.warn("Could not publish {}: {}", what, e.toString());
        return Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE, retryAdvice, e);
    }
}
