package dev.herald.template.catalog;

import dev.herald.platform.db.Transactions;
import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.platform.web.Preconditions;
import dev.herald.platform.web.ProblemAnswer;
import dev.herald.render.TemplateCheck;
import dev.herald.schemas.Slugs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Email layouts: named HTML documents that wrap the HTML body of many templates, which they place with {@code
 * {{{content}}}}. Changing a layout republishes every template whose active version uses it, in the same
 * transaction, so delivery picks the change up; a layout any version uses cannot be deleted.
 */
@RestController
@RequestMapping("/api/v1/layouts")
@Tag(name = "Layouts", description = "Email layouts shared by templates")
class LayoutController {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final TemplateService templates;

    LayoutController(DatabaseClient db, TransactionalOperator tx, TemplateService templates) {
        this.db = db;
        this.tx = tx;
        this.templates = templates;
    }

    @PutMapping("/{name}")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(
            summary = "Create (201) or replace (200) a layout",
            description = "Templates whose active version uses it are republished with the new layout.")
    @ApiResponse(responseCode = "200", description = "The layout was replaced")
    @ApiResponse(responseCode = "201", description = "A new layout")
    Mono<ResponseEntity<Layout>> put(
            @PathVariable @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @Valid @RequestBody PutLayoutRequest request) {
        Preconditions preconditions = Preconditions.parse("layout", ifMatch, ifNoneMatch);
        List<FieldError> errors = TemplateCheck.layout(request.html()).stream()
                .map(problem -> FieldError.body("#/html", problem.detail()))
                .toList();
        if (!errors.isEmpty()) {
            return Mono.error(new InvalidRequestException("The layout is not valid.", errors));
        }
        // created if new, then locked either way: activations hold the row shared, so this waits for them and then
        // sees their result, and no version can start using it until this ends (nor a concurrent create pass: it
        // waits on the insert). Then the versions using it, whose schemas may not declare a new variable; then the
        // preconditions; then the change
        Mono<ResponseEntity<Layout>> write = db.sql(
                        "INSERT INTO layouts (name, html) VALUES (:name, :html) ON CONFLICT (name) DO NOTHING")
                .bind("name", name)
                .bind("html", request.html())
                .fetch()
                .rowsUpdated()
                .flatMap(inserted -> locked(name)
                        .switchIfEmpty(Mono.error(() -> new ConcurrencyFailureException(
                                "Layout '" + name + "' was deleted while this write created it")))
                        // a layout new here has no version using it yet
                        .flatMap(revision -> inserted > 0
                                ? Mono.just(revision)
                                : templates
                                        .layoutProblems(name, request.html())
                                        .flatMap(problems -> problems.isEmpty()
                                                ? Mono.just(revision)
                                                : Mono.error(new InvalidRequestException(
                                                        "The layout is not valid.", problems))))
                        .doOnNext(revision -> preconditions.check(inserted > 0 ? null : revision))
                        .flatMap(revision -> inserted > 0
                                ? Mono.just(true)
                                : db.sql("""
                                                UPDATE layouts SET html = :html, updated_at = now(),
                                                revision = nextval('template_revisions') WHERE name = :name
                                                """)
                                        .bind("name", name)
                                        .bind("html", request.html())
                                        .then()
                                        .thenReturn(false)))
                .flatMap(created -> templates
                        .republishLayoutUsers(name)
                        .then(find(name))
                        .map(layout -> (created
                                        ? ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/layouts/{name}")
                                                .buildAndExpand(name)
                                                .encode()
                                                .toUri())
                                        : ResponseEntity.ok())
                                .eTag(Preconditions.etag(layout.revision()))
                                .body(layout)));
        return Transactions.retrying(tx, write);
    }

    @GetMapping("/{name}")
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    @Operation(summary = "Read a layout")
    @ProblemAnswer(status = 404, when = "No such layout")
    Mono<ResponseEntity<Layout>> get(@PathVariable String name) {
        return find(name)
                .switchIfEmpty(Mono.error(() -> notFound(name)))
                .map(layout -> ResponseEntity.ok()
                        .eTag(Preconditions.etag(layout.revision()))
                        .body(layout));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    @Operation(summary = "Every layout, by name")
    Mono<LayoutList> list() {
        return db.sql("SELECT name, html, updated_at, revision FROM layouts ORDER BY name")
                .map(LayoutController::layout)
                .all()
                .collectList()
                .map(LayoutList::new);
    }

    @DeleteMapping("/{name}")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(summary = "Delete a layout no template version uses", description = "409 while one does.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemAnswer(status = 404, when = "No such layout")
    @ProblemAnswer(status = 409, when = "A template version uses the layout")
    Mono<ResponseEntity<Void>> delete(
            @PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        Preconditions preconditions = Preconditions.parse("layout", ifMatch, ifNoneMatch);
        // the request's own 404 and 409 come before its precondition's 412
        Mono<ResponseEntity<Void>> delete = locked(name)
                .switchIfEmpty(Mono.error(() -> notFound(name)))
                .flatMap(revision -> db.sql(
                                "SELECT EXISTS (SELECT 1 FROM template_versions WHERE layout = :name) AS used")
                        .bind("name", name)
                        .map(row -> row.get("used", Boolean.class))
                        .one()
                        .flatMap(used -> used ? Mono.error(inUse(name)) : Mono.just(revision)))
                .doOnNext(preconditions::check)
                .then(db.sql("DELETE FROM layouts WHERE name = :name")
                        .bind("name", name)
                        .then())
                .thenReturn(ResponseEntity.noContent().<Void>build())
                // a version that began using it after the check (it waited for this lock) still stops the delete
                .onErrorMap(DataIntegrityViolationException.class, e -> inUse(name));
        return Transactions.retrying(tx, delete);
    }

    private static ResponseStatusException inUse(String name) {
        return new ResponseStatusException(
                HttpStatus.CONFLICT, "Layout '" + name + "' is used by a template version; change those first.");
    }

    /** Locks layout {@code name}; emits its revision, or empty when there is none. */
    private Mono<Long> locked(String name) {
        return db.sql("SELECT revision FROM layouts WHERE name = :name FOR UPDATE")
                .bind("name", name)
                .map(row -> row.get("revision", Long.class))
                .one();
    }

    private Mono<Layout> find(String name) {
        return db.sql("SELECT name, html, updated_at, revision FROM layouts WHERE name = :name")
                .bind("name", name)
                .map(LayoutController::layout)
                .one();
    }

    private static Layout layout(io.r2dbc.spi.Readable row) {
        return new Layout(
                row.get("name", String.class),
                row.get("html", String.class),
                row.get("updated_at", OffsetDateTime.class).toInstant(),
                row.get("revision", Long.class));
    }

    private static ResponseStatusException notFound(String name) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No layout '" + name + "'.");
    }

    /** @param html Mustache source of the whole HTML document; places the body with {@code {{{content}}}} */
    record PutLayoutRequest(@NotBlank @Size(max = 524288) String html) {}

    /**
     * An email layout.
     *
     * @param name its name, which templates refer to
     * @param html Mustache source of the whole HTML document
     * @param updatedAt when it last changed
     * @param revision grows with each change; sent as {@code ETag}
     */
    record Layout(
            String name,
            String html,
            Instant updatedAt,
            @com.fasterxml.jackson.annotation.JsonIgnore long revision) {}

    /** Every layout, by name. */
    record LayoutList(List<Layout> items) {}
}
