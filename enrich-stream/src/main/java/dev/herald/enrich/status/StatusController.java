package dev.herald.enrich.status;

import dev.herald.enrich.topology.NotificationTopology;
import java.util.UUID;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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
    Mono<NotificationView> get(@PathVariable UUID id) {
        return Mono.fromCallable(() -> store().get(id.toString()))
                // the store lookup retries while Kafka Streams is (re)starting: keep it off the event loop
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(InvalidStateStoreException.class, StatusController::unavailable)
                .switchIfEmpty(Mono.error(() ->
                        new ResponseStatusException(HttpStatus.NOT_FOUND, "No notification " + id + " is known.")));
    }

    private ReadOnlyKeyValueStore<String, NotificationView> store() {
        return queries.retrieveQueryableStore(NotificationTopology.STATUS_STORE, QueryableStoreTypes.keyValueStore());
    }

    private static ErrorResponseException unavailable(InvalidStateStoreException e) {
        ErrorResponseException unavailable = new ErrorResponseException(
                HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.SERVICE_UNAVAILABLE, "Status queries are not available yet; retry shortly."),
                e);
        unavailable.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return unavailable;
    }
}
