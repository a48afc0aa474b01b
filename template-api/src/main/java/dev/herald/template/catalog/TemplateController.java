package dev.herald.template.catalog;

import dev.herald.platform.validation.LanguageTag;
import dev.herald.platform.web.Cursors;
import dev.herald.platform.web.Preconditions;
import dev.herald.platform.web.ProblemAnswer;
import dev.herald.schemas.Slugs;
import dev.herald.schemas.Template;
import dev.herald.template.catalog.TemplateRepository.TemplateVersion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Templates, keyed by slug. A template has numbered versions: drafts, which may change and are never
 * delivered, and published versions, which never change; one published version is active.
 */
@RestController
@RequestMapping("/api/v1/templates")
@Tag(name = "Templates", description = "What Herald says: versioned, localised templates")
class TemplateController {

    private final TemplateService templates;

    TemplateController(TemplateService templates) {
        this.templates = templates;
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(
            summary = "Save and publish in one step",
            description = "Stores the body as the next version, publishes it and makes it active: 201 for a new"
                    + " template, 200 otherwise.")
    @ApiResponse(responseCode = "200", description = "The template existed; this is its new active version")
    @ApiResponse(responseCode = "201", description = "A new template")
    Mono<ResponseEntity<Template>> put(
            @PathVariable @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @Valid @RequestBody PutTemplateRequest request) {
        return templates
                .put(id, request, preconditions(ifMatch, ifNoneMatch))
                .map(result -> (result.created()
                                ? ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/templates/{id}")
                                        .buildAndExpand(id)
                                        .encode()
                                        .toUri())
                                : ResponseEntity.ok())
                        .eTag(result.template().etag())
                        .body(result.template().toTemplate()));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    @Operation(summary = "The active version, as enrich-stream delivers it")
    @ProblemAnswer(status = 404, when = "No such template")
    Mono<ResponseEntity<Template>> get(@PathVariable String id) {
        return templates
                .get(id)
                .map(active -> ResponseEntity.ok().eTag(active.etag()).body(active.toTemplate()));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(
            summary = "Delete a template and every version",
            description = "The templates topic receives a tombstone.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemAnswer(status = 404, when = "No such template")
    Mono<ResponseEntity<Void>> delete(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return templates
                .delete(id, preconditions(ifMatch, ifNoneMatch))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    @Operation(summary = "List templates with an active version, in id order, a page at a time")
    Mono<TemplatePage> list(
            @RequestParam(required = false) @Size(max = 400) String cursor,
            @RequestParam(required = false) @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String category,
            @RequestParam(required = false) @LanguageTag String locale,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return templates.list(Cursors.key(cursor), category, locale, limit + 1).map(found -> {
            List<TemplateVersion> items = found.size() > limit ? found.subList(0, limit) : found;
            return new TemplatePage(
                    items.stream().map(TemplateVersion::toTemplate).toList(),
                    found.size() > limit ? Cursors.after(items.getLast().templateId()) : null);
        });
    }

    @PostMapping("/{id}/versions")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(summary = "Create a draft version", description = "Creates the template too when it is new.")
    @ApiResponse(responseCode = "201", description = "The new draft version")
    Mono<ResponseEntity<TemplateVersion>> createDraft(
            @PathVariable @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @Valid @RequestBody PutTemplateRequest request) {
        return templates
                .createDraft(id, request, preconditions(ifMatch, ifNoneMatch))
                .map(draft -> ResponseEntity.created(
                                UriComponentsBuilder.fromPath("/api/v1/templates/{id}/versions/{version}")
                                        .buildAndExpand(id, draft.version())
                                        .encode()
                                        .toUri())
                        .eTag(draft.etag())
                        .body(draft));
    }

    @GetMapping("/{id}/versions")
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    @Operation(summary = "Every version, newest first")
    @ProblemAnswer(status = 404, when = "No such template")
    Mono<ResponseEntity<VersionList>> versions(@PathVariable String id) {
        return templates
                .versions(id)
                .map(list -> ResponseEntity.ok().eTag(list.getFirst().etag()).body(new VersionList(list)));
    }

    @GetMapping("/{id}/versions/{version}")
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    @Operation(summary = "One version, draft or published")
    @ProblemAnswer(status = 404, when = "No such template or version")
    Mono<ResponseEntity<TemplateVersion>> version(@PathVariable String id, @PathVariable int version) {
        return templates.version(id, version).map(TemplateController::tagged);
    }

    @PutMapping("/{id}/versions/{version}")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(summary = "Replace a draft", description = "409 for a published version: it never changes.")
    @ProblemAnswer(status = 404, when = "No such template or version")
    @ProblemAnswer(status = 409, when = "The version is published and cannot change")
    Mono<ResponseEntity<TemplateVersion>> replaceDraft(
            @PathVariable @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String id,
            @PathVariable int version,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @Valid @RequestBody PutTemplateRequest request) {
        return templates
                .replaceDraft(id, version, request, preconditions(ifMatch, ifNoneMatch))
                .map(TemplateController::tagged);
    }

    @PostMapping("/{id}/versions/{version}/publish")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(summary = "Publish a draft", description = "It becomes immutable and the active version.")
    @ProblemAnswer(status = 404, when = "No such template or version")
    @ProblemAnswer(status = 409, when = "The version is already published")
    @ProblemAnswer(status = 413, when = "The version, with its layout, is larger than one templates record may be")
    Mono<ResponseEntity<Template>> publish(
            @PathVariable String id,
            @PathVariable int version,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return templates
                .publish(id, version, preconditions(ifMatch, ifNoneMatch))
                .map(TemplateController::taggedTemplate);
    }

    @PostMapping("/{id}/rollback")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    @Operation(summary = "Activate an earlier published version again")
    @ProblemAnswer(status = 404, when = "No such template or version")
    @ProblemAnswer(status = 409, when = "The version is a draft")
    Mono<ResponseEntity<Template>> rollback(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @Valid @RequestBody Rollback rollback) {
        return templates
                .rollback(id, rollback.version(), preconditions(ifMatch, ifNoneMatch))
                .map(TemplateController::taggedTemplate);
    }

    private static Preconditions preconditions(String ifMatch, String ifNoneMatch) {
        return Preconditions.parse("template", ifMatch, ifNoneMatch);
    }

    private static ResponseEntity<TemplateVersion> tagged(TemplateVersion version) {
        return ResponseEntity.ok().eTag(version.etag()).body(version);
    }

    /** The version as the topic carries it, with the template's tag. */
    private static ResponseEntity<Template> taggedTemplate(TemplateVersion version) {
        return ResponseEntity.ok().eTag(version.etag()).body(version.toTemplate());
    }

    /**
     * A page of templates.
     *
     * @param items active versions, in id order
     * @param nextCursor pass as {@code cursor} for the next page; absent on the last page
     */
    record TemplatePage(List<Template> items, String nextCursor) {}

    /** A template's versions, newest first. */
    record VersionList(List<TemplateVersion> items) {}

    /** @param version the published version to activate */
    record Rollback(@NotNull @Min(1) Integer version) {}
}
