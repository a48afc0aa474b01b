package dev.herald.user.profile;

import dev.herald.platform.web.JsonMergePatch;
import dev.herald.platform.web.Preconditions;
import dev.herald.platform.web.ProblemAnswer;
import dev.herald.schemas.UserProfile.Preferences;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A user's channel switches, per-category overrides and quiet hours. A category override wins over the
 * channel switch for notifications of that category.
 */
@RestController
@RequestMapping("/api/v1/users/{id}/preferences")
@Tag(name = "Users")
class PreferencesController {

    private final UserService users;

    PreferencesController(UserService users) {
        this.users = users;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "Read a user's preferences")
    @ProblemAnswer(status = 404, when = "No such user")
    Mono<ResponseEntity<Preferences>> get(@PathVariable String id) {
        return users.get(id)
                .switchIfEmpty(Mono.error(() -> UserService.notFound(id)))
                .map(profile ->
                        ResponseEntity.ok().eTag(UserController.etag(profile)).body(profile.preferences()));
    }

    @PutMapping
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Replace a user's preferences")
    @ProblemAnswer(status = 404, when = "No such user")
    Mono<ResponseEntity<Preferences>> put(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestBody Preferences preferences) {
        return users.putPreferences(id, preferences, Preconditions.parse("user", ifMatch, ifNoneMatch))
                .map(PreferencesController::written);
    }

    @PatchMapping(consumes = {JsonMergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(
            summary = "Update parts of a user's preferences",
            description = "A JSON merge patch (RFC 7396): {\"categories\": {\"marketing\": null}} removes an override.")
    @ProblemAnswer(status = 404, when = "No such user")
    Mono<ResponseEntity<Preferences>> patch(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestBody JsonNode patch) {
        return users.patchPreferences(id, patch, Preconditions.parse("user", ifMatch, ifNoneMatch))
                .map(PreferencesController::written);
    }

    private static ResponseEntity<Preferences> written(UserService.Written written) {
        return ResponseEntity.ok()
                .eTag(UserController.etag(written.profile()))
                .body(written.profile().preferences());
    }
}
