package dev.herald.ingest.submission;

import dev.herald.ingest.guard.Idempotency;
import dev.herald.ingest.guard.Idempotency.Answer;
import dev.herald.ingest.guard.RateLimiter;
import dev.herald.platform.config.Durations;
import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.platform.web.ProblemDetailsExceptionHandler;
import dev.herald.platform.web.Problems;
import dev.herald.platform.web.RequestBinder;
import dev.herald.schemas.Cancellation;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.kafka.Topics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts notification requests, one or a batch; answers only once the broker holds every accepted one. Each
 * request is rate limited per client and may carry an {@code Idempotency-Key}.
 */
@RestController
@Tag(name = "Notifications", description = "Submitting notifications")
class NotificationController {

    private final RequestPublisher publisher;
    private final IngestProperties properties;
    private final RateLimiter rateLimiter;
    private final Idempotency idempotency;
    private final RequestBinder binder;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();
    /** Status URLs end with the notification id, which needs no encoding. */
    private final String statusUrlPrefix;

    NotificationController(
            RequestPublisher publisher,
            IngestProperties properties,
            RateLimiter rateLimiter,
            Idempotency idempotency,
            RequestBinder binder,
            JsonMapper json) {
        this.publisher = publisher;
        this.properties = properties;
        this.rateLimiter = rateLimiter;
        this.idempotency = idempotency;
        this.binder = binder;
        this.json = json;
        this.statusUrlPrefix = UriComponentsBuilder.fromUri(properties.statusBaseUrl())
                .path("/api/v1/notifications/")
                .toUriString();
    }

    @PostMapping("/api/v1/notifications")
    @PreAuthorize("hasAuthority('SCOPE_notifications:write')")
    @Operation(
            summary = "Submit a notification",
            description =
                    "202 with the id and status URL once the broker holds the request; 503 with Retry-After"
                            + " when it does not in time; 413 when the request is larger than one broker record. With an"
                            + " Idempotency-Key, a retry gets the first answer again, and a notification without an id gets"
                            + " the same one on every retry, so a retry within 24 h is delivered once even where the key was lost.")
    @ApiResponse(
            responseCode = "202",
            description = "The broker holds the request: its id and where to follow it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Accepted.class)))
    Mono<ResponseEntity<String>> submit(
            @AuthenticationPrincipal Jwt client,
            @Parameter(description = "makes retries safe: the same key and body answer the same, once")
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    String idempotencyKey,
            @Valid @RequestBody NotificationSubmission submission) {
        return guarded(client, 1, idempotencyKey, submission, ids -> {
            NotificationRequest request = toRequest(submission, ids.apply(0), "#");
            return publisher.publish(request).then(Mono.fromSupplier(() -> accepted(request)));
        });
    }

    @PostMapping("/api/v1/notifications:batch")
    @PreAuthorize("hasAuthority('SCOPE_notifications:write')")
    @Operation(
            summary = "Submit up to 1,000 notifications",
            description = "200 with one result per item, in order: 202 with the id once the broker holds it, or the"
                    + " item's problem. Costs one rate-limit token per item.")
    @ApiResponse(
            responseCode = "200",
            description = "One result per item, in request order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = BatchResult.class)))
    Mono<ResponseEntity<String>> submitBatch(
            @AuthenticationPrincipal Jwt client,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody BatchSubmission batch) {
        return guarded(client, batch.notifications().size(), idempotencyKey, batch, ids -> publishBatch(batch, ids));
    }

    private Mono<Answer> publishBatch(BatchSubmission batch, IntFunction<UUID> ids) {
        List<Object> items = new ArrayList<>();
        // the second of two items with one id would be dropped downstream as a copy of the first, its 202 a lie
        Map<UUID, Integer> firstWithId = new HashMap<>();
        for (int i = 0; i < batch.notifications().size(); i++) {
            String at = "#/notifications/" + i;
            try {
                NotificationRequest request = toRequest(
                        binder.bind(batch.notifications().get(i), NotificationSubmission.class, at), ids.apply(i), at);
                Integer first = firstWithId.putIfAbsent(request.id(), i);
                if (first != null) {
                    throw new InvalidRequestException(
                            "The notification request is not valid.",
                            List.of(FieldError.body(at + "/id", "is also the id of item " + first)));
                }
                items.add(request);
            } catch (InvalidRequestException e) {
                items.add(ItemResult.failed(i, invalid(e)));
            }
        }
        List<NotificationRequest> valid = items.stream()
                .filter(NotificationRequest.class::isInstance)
                .map(NotificationRequest.class::cast)
                .toList();
        return publisher.publishAll(valid).collectList().map(outcomes -> {
            List<ItemResult> results = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof NotificationRequest request) {
                    int index = i;
                    results.add(outcomes.get(next++)
                            .map(unavailable -> ItemResult.failed(index, unavailable.getBody()))
                            .orElseGet(() -> ItemResult.accepted(index, request, statusUrl(request))));
                } else {
                    results.add((ItemResult) items.get(i));
                }
            }
            // an answer with items the broker did not take is not kept: a retry with the key must try them
            boolean complete = results.stream().noneMatch(r -> r.status() >= 500);
            return new Answer(200, null, json.writeValueAsString(new BatchResult(results)), false, complete);
        });
    }

    @DeleteMapping("/api/v1/notifications/{id}")
    @PreAuthorize("hasAuthority('SCOPE_notifications:write')")
    @Operation(
            summary = "Cancel a scheduled notification",
            description = "202 once the broker holds the cancellation. It takes effect if the notification is"
                    + " still held back (scheduled for later, or waiting for the end of the recipient's quiet"
                    + " hours) when enrich-stream reads it: the status then becomes CANCELLED and nothing is"
                    + " sent. A notification already dispatched goes on; follow the status URL to see which"
                    + " happened. Cancelling twice is harmless.")
    @ApiResponse(
            responseCode = "202",
            description = "The broker holds the cancellation",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Accepted.class)))
    Mono<ResponseEntity<String>> cancel(@AuthenticationPrincipal Jwt client, @PathVariable UUID id) {
        return guarded(
                client,
                1,
                null,
                null,
                ids -> publisher
                        .cancel(new Cancellation(id, clientId(client), clock.instant()))
                        .then(Mono.fromSupplier(() -> {
                            URI status = statusUrl(id);
                            return new Answer(
                                    202,
                                    status.toString(),
                                    json.writeValueAsString(new Accepted(id, "CANCELLATION_REQUESTED", status)),
                                    false,
                                    true);
                        })));
    }

    /**
     * Runs {@code work} for {@code client} within its rate limit ({@code cost} tokens) and, with an
     * {@code Idempotency-Key}, once per key; answers with the rate-limit headers. The work's new notifications
     * take their ids, by item index, from what it is given: with a key, the same ids for every retry of the request.
     */
    private Mono<ResponseEntity<String>> guarded(
            Jwt client, int cost, String idempotencyKey, Object body, Function<IntFunction<UUID>, Mono<Answer>> work) {
        String clientId = clientId(client);
        Idempotency.Claim claim = idempotency.claim(clientId, idempotencyKey, body);
        IntFunction<UUID> ids = claim == null ? item -> UUID.randomUUID() : claim::notificationId;
        return rateLimiter
                .take(clientId, cost, claim)
                .flatMap(admission -> idempotency
                        .run(claim, admission.earlier(), () -> work.apply(ids))
                        .map(answer -> respond(answer, admission.limits())));
    }

    /**
     * The request to publish: the submission with its id ({@code newId} when it has none), checked against the
     * topic's schema and the clock.
     */
    private NotificationRequest toRequest(NotificationSubmission submission, UUID newId, String at) {
        Instant now = clock.instant();
        NotificationRequest request = new NotificationRequest(
                submission.id() == null ? newId : submission.id(),
                submission.userId(),
                submission.templateId(),
                submission.data(),
                submission.channels(),
                submission.category(),
                submission.priority(),
                submission.locale(),
                submission.scheduledAt(),
                submission.metadata(),
                now);
        List<FieldError> errors = new ArrayList<>();
        if (submission.scheduledAt() != null) {
            if (submission.scheduledAt().isBefore(now.minus(properties.scheduleTolerance()))) {
                errors.add(FieldError.body(at + "/scheduledAt", "must not be in the past"));
            } else if (submission.scheduledAt().isAfter(now.plus(properties.maxScheduleAhead()))) {
                errors.add(FieldError.body(
                        at + "/scheduledAt",
                        "must be at most " + Durations.inWords(properties.maxScheduleAhead()) + " ahead"));
            }
        }
        // a member already reported is not reported again: a year past 9999 is too far ahead, and the schema's
        // refusal of its five digits would only say so less plainly
        Topics.REQUESTS.violations(request).stream()
                .map(v -> FieldError.body(at + v.pointer().substring(1), v.message()))
                .filter(error -> errors.stream().noneMatch(e -> e.pointer().equals(error.pointer())))
                .forEach(errors::add);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The notification request is not valid.", errors);
        }
        return request;
    }

    private Answer accepted(NotificationRequest request) {
        URI status = statusUrl(request);
        return new Answer(
                202,
                status.toString(),
                json.writeValueAsString(new Accepted(request.id(), "ACCEPTED", status)),
                false,
                true);
    }

    private URI statusUrl(NotificationRequest request) {
        return statusUrl(request.id());
    }

    private URI statusUrl(UUID id) {
        return URI.create(statusUrlPrefix + id);
    }

    private static ResponseEntity<String> respond(Answer answer, HttpHeaders limits) {
        return ResponseEntity.status(answer.status())
                .headers(limits)
                .headers(answer.headers())
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body());
    }

    private static ProblemDetail invalid(InvalidRequestException e) {
        return ProblemDetailsExceptionHandler.invalidBody(e.getMessage(), e.errors());
    }

    /** The client a token was issued to: its {@code client_id} claim, else its subject. */
    static String clientId(Jwt token) {
        String clientId = token.getClaimAsString("client_id");
        return clientId != null ? clientId : token.getSubject();
    }

    /**
     * Answer to an accepted request.
     *
     * @param id the notification id
     * @param status {@code ACCEPTED}, or {@code CANCELLATION_REQUESTED} for a cancellation
     * @param statusUrl where to follow the notification
     */
    record Accepted(UUID id, String status, URI statusUrl) {}

    /** @param notifications each an object with the fields a single submission takes */
    record BatchSubmission(
            @NotNull @Size(min = 1, max = 1000) List<@NotNull JsonNode> notifications) {}

    /** One result per item, in request order. */
    record BatchResult(List<ItemResult> results) {}

    /**
     * What became of one item.
     *
     * @param index position in the request
     * @param status 202 when accepted, else the status of the problem
     * @param id the notification id, when accepted
     * @param statusUrl where to follow it, when accepted
     * @param problem why it was not accepted
     */
    record ItemResult(int index, int status, UUID id, URI statusUrl, Map<String, Object> problem) {

        static ItemResult accepted(int index, NotificationRequest request, URI statusUrl) {
            return new ItemResult(index, 202, request.id(), statusUrl, null);
        }

        static ItemResult failed(int index, ProblemDetail problem) {
            return new ItemResult(index, problem.getStatus(), null, null, Problems.asMap(problem));
        }
    }
}
