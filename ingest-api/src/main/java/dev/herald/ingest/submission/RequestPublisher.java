package dev.herald.ingest.submission;

import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.platform.web.Problems;
import dev.herald.schemas.Cancellation;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.kafka.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
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
 * acknowledged them ({@code acks=all}, idempotent producer). A broker that does not answer within
 * {@code herald.ingest.publish-timeout} makes the request fail with 503, never hang.
 */
@Component
class RequestPublisher {

    private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);

    private final KafkaTemplate<String, NotificationRequest> requests;
    private final KafkaTemplate<String, Cancellation> cancellations;
    private final IngestProperties properties;

    RequestPublisher(HeraldKafka heraldKafka, IngestProperties properties) {
        this.requests = heraldKafka.template(Topics.REQUESTS, producerSettings(properties));
        this.cancellations = heraldKafka.template(Topics.CANCELLATIONS, producerSettings(properties));
        this.properties = properties;
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
     * Sends every request (from one worker thread: {@code send()} blocks while it waits for metadata, and once
     * one is refused the rest are not tried) and emits, in request order, nothing for an acknowledged request
     * or the 503 of one that was not acknowledged in time.
     */
    Flux<Optional<ErrorResponseException>> publishAll(List<NotificationRequest> batch) {
        return sendAll(
                requests,
                Topics.REQUESTS.name(),
                batch,
                NotificationRequest::userId,
                request -> "notification " + request.id(),
                "The notification could not be stored; retry with the same id.");
    }

    /** Completes once the broker acknowledged {@code cancellation}; fails with 503 when it does not in time. */
    Mono<Void> cancel(Cancellation cancellation) {
        return firstOutcome(sendAll(
                cancellations,
                Topics.CANCELLATIONS.name(),
                List.of(cancellation),
                c -> c.notificationId().toString(),
                c -> "the cancellation of notification " + c.notificationId(),
                "The cancellation could not be stored; retry."));
    }

    private static Mono<Void> firstOutcome(Flux<Optional<ErrorResponseException>> outcomes) {
        return outcomes.next().flatMap(outcome -> outcome.map(Mono::<Void>error).orElseGet(Mono::empty));
    }

    private <V> Flux<Optional<ErrorResponseException>> sendAll(
            KafkaTemplate<String, V> kafka,
            String topic,
            List<V> values,
            Function<V, String> key,
            Function<V, String> what,
            String retryAdvice) {
        return Mono.fromCallable(() -> send(kafka, topic, values, key))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(acks -> Flux.range(0, acks.size())
                        .flatMapSequential(
                                i -> Mono.fromFuture(acks.get(i))
                                        .timeout(properties.publishTimeout())
                                        .thenReturn(Optional.<ErrorResponseException>empty())
                                        .onErrorResume(e -> Mono.just(
                                                Optional.of(unavailable(what.apply(values.get(i)), retryAdvice, e)))),
                                Math.max(1, acks.size())));
    }

    private static <V> List<CompletableFuture<?>> send(
            KafkaTemplate<String, V> kafka, String topic, List<V> values, Function<V, String> key) {
        List<CompletableFuture<?>> acks = new ArrayList<>();
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

    private static ErrorResponseException unavailable(String what, String retryAdvice, Throwable e) {
        log.warn(
                "Could not publish {}: {}",
                what,
                e instanceof TimeoutException ? "no acknowledgement in time" : e.toString());
        return Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE, retryAdvice, e);
    }
}
