package dev.herald.user.profile;

import dev.herald.platform.web.Preconditions;
import dev.herald.platform.web.ProblemAnswer;
import dev.herald.schemas.UserProfile;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** A user's push devices. A token belongs to one user at a time. */
@RestController
@RequestMapping("/api/v1/users/{id}/devices")
@Tag(name = "Users")
class DeviceController {

    private final UserService users;

    DeviceController(UserService users) {
        this.users = users;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(
            summary = "Register a push device",
            description = "201 when the token is new to the user, 200 when it was registered again. A token"
                    + " registered to another user moves to this one. Past 100 devices, the least recently"
                    + " registered goes.")
    @ApiResponse(responseCode = "200", description = "The token was registered to this user already")
    @ApiResponse(responseCode = "201", description = "The token is new to this user")
    @ProblemAnswer(status = 404, when = "No such user")
    Mono<ResponseEntity<UserProfile>> register(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @Valid @RequestBody PutUserRequest.Device device) {
        return users.addDevice(id, device, Preconditions.parse("user", ifMatch, ifNoneMatch))
                .map(registration -> {
                    UserProfile profile = registration.written().profile();
                    ResponseEntity.BodyBuilder response = registration.newToUser()
                            ? ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/users/{id}/devices/{token}")
                                    .buildAndExpand(id, device.token())
                                    .encode()
                                    .toUri())
                            : ResponseEntity.ok();
                    return response.eTag(UserController.etag(profile)).body(profile);
                });
    }

    @DeleteMapping("/{token}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Remove a push device")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemAnswer(status = 404, when = "No such user, or the user has no such device")
    Mono<ResponseEntity<Void>> remove(
            @PathVariable String id,
            @PathVariable String token,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return users.removeDevice(id, token, Preconditions.parse("user", ifMatch, ifNoneMatch))
                .thenReturn(ResponseEntity.noContent().build());
    }
}
