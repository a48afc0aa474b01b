package dev.herald.user.profile;

import dev.herald.platform.web.Cursors;
import dev.herald.platform.web.JsonMergePatch;
import dev.herald.platform.web.Preconditions;
import dev.herald.platform.web.ProblemAnswer;
import dev.herald.schemas.UserIds;
import dev.herald.schemas.UserProfile;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Recipients, keyed by the client's own user id. Responses carry the profile's revision as {@code ETag};
 * writes honour {@code If-Match}.
 */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "Recipients: contact points, devices and preferences")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Create (201) or replace (200) a user")
    @ApiResponse(responseCode = "200", description = "The user was replaced")
    @ApiResponse(responseCode = "201", description = "A new user")
    Mono<ResponseEntity<UserProfile>> put(
            @PathVariable @Pattern(regexp = UserIds.PATTERN, message = UserIds.MESSAGE) String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @Valid @RequestBody PutUserRequest request) {
        return users.put(id, request, Preconditions.parse("user", ifMatch, ifNoneMatch))
                .map(UserController::written);
    }

    @PatchMapping(
            value = "/{id}",
            consumes = {JsonMergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(
            summary = "Update parts of a user",
            description = "A JSON merge patch (RFC 7396) of the fields PUT takes: null removes a field, arrays are"
                    + " replaced whole.")
    @ProblemAnswer(status = 404, when = "No such user")
    Mono<ResponseEntity<UserProfile>> patch(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestBody JsonNode patch) {
        return users.patch(id, patch, Preconditions.parse("user", ifMatch, ifNoneMatch))
                .map(UserController::written);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "Read a user")
    @ProblemAnswer(status = 404, when = "No such user")
    Mono<ResponseEntity<UserProfile>> get(@PathVariable String id) {
        return users.get(id)
                .switchIfEmpty(Mono.error(() -> UserService.notFound(id)))
                .map(profile -> ResponseEntity.ok().eTag(etag(profile)).body(profile));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Delete a user", description = "The users topic receives a tombstone.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemAnswer(status = 404, when = "No such user")
    Mono<ResponseEntity<Void>> delete(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return users.delete(id, Preconditions.parse("user", ifMatch, ifNoneMatch))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "List users in id order, a page at a time")
    Mono<UserPage> list(
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) @Size(max = 400) String cursor,
            @Parameter(description = "only users with this address (case-insensitive)")
                    @RequestParam(required = false)
                    @Size(max = 254) String email,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        String after = Cursors.key(cursor);
        return users.list(after, email, limit + 1).map(found -> {
            List<UserProfile> items = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit ? Cursors.after(items.getLast().id()) : null;
            return new UserPage(items, next);
        });
    }

    /**
     * A page of users.
     *
     * @param items the users, in id order
     * @param nextCursor pass as {@code cursor} for the next page; absent on the last page
     */
    record UserPage(List<UserProfile> items, String nextCursor) {}

    static ResponseEntity<UserProfile> written(UserService.Written written) {
        UserProfile profile = written.profile();
        ResponseEntity.BodyBuilder response = written.created()
                ? ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/users/{id}")
                        .buildAndExpand(profile.id())
                        .encode()
                        .toUri())
                : ResponseEntity.ok();
        return response.eTag(etag(profile)).body(profile);
    }

    static String etag(UserProfile profile) {
        return Preconditions.etag(profile.revision());
    }
}
