package dev.herald.ingest.submission;

import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.kafka.Topics;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** Accepts notification requests; answers only once the broker holds them. */
@RestController
@RequestMapping("/api/v1/notifications")
class NotificationController {

    private final RequestPublisher publisher;
    private final IngestProperties properties;

    NotificationController(RequestPublisher publisher, IngestProperties properties) {
        this.publisher = publisher;
        this.properties = properties;
    }

    /** 202 with the notification id once {@code notifications.requested} has acknowledged the request. */
    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_notifications:write')")
    Mono<ResponseEntity<Accepted>> submit(@Valid @RequestBody NotificationSubmission submission) {
        NotificationRequest request = toRequest(submission);
        return publisher.publish(request).then(Mono.fromSupplier(() -> {
            URI status = UriComponentsBuilder.fromUri(properties.statusBaseUrl())
                    .path("/api/v1/notifications/{id}")
                    .buildAndExpand(request.id())
                    .toUri();
            return ResponseEntity.accepted().location(status).body(new Accepted(request.id(), "ACCEPTED", status));
        }));
    }

    private static NotificationRequest toRequest(NotificationSubmission submission) {
        NotificationRequest request = new NotificationRequest(
                submission.id() == null ? UUID.randomUUID() : submission.id(),
                submission.userId(),
                submission.templateId(),
                submission.data(),
                submission.channels(),
                submission.category(),
                submission.priority(),
                submission.locale(),
                submission.scheduledAt(),
                submission.metadata(),
                Instant.now());
        List<FieldError> errors =
                Topics.REQUESTS.violations(request).stream().map(FieldError::of).toList();
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The notification request is not valid.", errors);
        }
        return request;
    }

    /**
     * Answer to an accepted request.
     *
     * @param id the notification id
     * @param status always {@code ACCEPTED}
     * @param statusUrl where to follow the notification
     */
    record Accepted(UUID id, String status, URI statusUrl) {}
}
