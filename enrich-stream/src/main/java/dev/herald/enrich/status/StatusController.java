package dev.herald.enrich.status;

import dev.herald.enrich.topology.NotificationTopology;
import dev.herald.platform.web.ProblemAnswer;
import dev.herald.platform.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Status queries, answered from the {@value NotificationTopology#STATUS_STORE} state store. */
@RestController
@RequestMapping("/api/v1/notifications")
class StatusController {

    private final KafkaStreamsInteractiveQueryService queries;

    StatusController(KafkaStreamsInteractiveQueryService queries) {
        this.queries = queries;
    }

    /** The overall status, the status per channel and the history of notification {@code id}. */
    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_notifications:read')")
    @Operation(
            summary = "The status of a notification",
            description = "The overall status, the status per channel, the history and the request's metadata.")
    @ProblemAnswer(
            status = 404,
            when = "No such notification is known; one accepted moments ago is known once enrich-stream has read it")
    @ProblemAnswer(status = 503, when = "Kafka Streams is starting or rebalancing; retry after `Retry-After` seconds")
    Mono<NotificationView> get(@PathVariable UUID id) {
        // the store lookup waits and retries while Kafka Streams is (re)starting: keep it off the event loop
        return Mono.fromCallable(() -> lookup(id))
                .subscribeOn(Schedulers.boundedElastic())
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND,
                        "No notification " + id + " is known. One accepted moments ago is known once"
                                + " enrich-stream has read it, usually within a second: ask again.")));
    }

    /**
     * The view of {@code id}, or {@code null}. While Kafka Streams is starting or rebalancing the store cannot
     * be queried (Spring Kafka reports that as an {@link IllegalStateException} around an {@link
     * InvalidStateStoreException}): that is a 503 with {@code Retry-After}, never a wrong 404.
     */
    NotificationView lookup(UUID id) {
        try {
            return store().get(id.toString());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw unavailable(e);
        }
    }

    private ReadOnlyKeyValueStore<String, NotificationView> store() {
        return queries.retrieveQueryableStore(NotificationTopology.STATUS_STORE, QueryableStoreTypes.keyValueStore());
    }

    private static ErrorResponseException unavailable(RuntimeException e) {
        return Problems.retryLater(
                HttpStatus.SERVICE_UNAVAILABLE, "Status queries are not available yet; retry shortly.", e);
    }
}
