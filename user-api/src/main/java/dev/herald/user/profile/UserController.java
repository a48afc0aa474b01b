package dev.herald.user.profile;

import dev.herald.schemas.UserProfile;
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

/** Recipients, keyed by the client's own user id. */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    /** User ids as the {@code users} topic's schema allows them: safe in URLs and logs. */
    static final String USER_ID = "^[A-Za-z0-9._:@+=~-]{1,128}$";

    static final String USER_ID_MESSAGE = "must be 1 to 128 letters, digits or . _ : @ + = ~ -";

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    /** Creates the user (201) or replaces it (200). */
    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    Mono<ResponseEntity<UserProfile>> put(
            @PathVariable @Pattern(regexp = USER_ID, message = USER_ID_MESSAGE) String id,
            @Valid @RequestBody PutUserRequest request) {
        return users.put(id, request)
                .map(result -> result.created()
                        ? ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/users/{id}")
                                        .buildAndExpand(id)
                                        .encode()
                                        .toUri())
                                .body(result.profile())
                        : ResponseEntity.ok(result.profile()));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    Mono<UserProfile> get(@PathVariable String id) {
        return users.get(id)
                .switchIfEmpty(
                        Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No user '" + id + "'.")));
    }
}
