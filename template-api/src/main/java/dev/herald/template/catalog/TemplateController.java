package dev.herald.template.catalog;

import dev.herald.schemas.Template;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** Templates, keyed by slug; each put makes a new immutable version and activates it. */
@RestController
@RequestMapping("/api/v1/templates")
@Tag(name = "Templates", description = "What Herald says: versioned, localised templates")
class TemplateController {

    private final TemplateService templates;

    TemplateController(TemplateService templates) {
        this.templates = templates;
    }

    /** Creates the template (201) or adds and activates a new version (200). */
    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_templates:write')")
    Mono<ResponseEntity<Template>> put(
            @PathVariable @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String id,
            @Valid @RequestBody PutTemplateRequest request) {
        return templates
                .put(id, request)
                .map(result -> result.created()
                        ? ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/templates/{id}")
                                        .buildAndExpand(id)
                                        .encode()
                                        .toUri())
                                .body(result.template())
                        : ResponseEntity.ok(result.template()));
    }

    /** The active version. */
    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    Mono<Template> get(@PathVariable String id) {
        return templates
                .get(id)
                .switchIfEmpty(Mono.error(
                        () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No template '" + id + "'.")));
    }
}
