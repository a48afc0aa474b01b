package dev.herald.user.profile;

import dev.herald.platform.db.Databases;
import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.platform.web.Preconditions;
import dev.herald.platform.web.ProblemDetailsExceptionHandler;
import dev.herald.platform.web.Problems;
import dev.herald.platform.web.RequestBinder;
import dev.herald.schemas.UserIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bulk import: each item is a user id plus the fields {@code PUT /api/v1/users/{id}} takes, stored in its own
 * transaction. One bad item does not stop the others; the answer has a result per item, in request order.
 */
@RestController
@Tag(name = "Users")
class BatchController {

    private static final Logger log = LoggerFactory.getLogger(BatchController.class);

    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile(UserIds.PATTERN);

    /** Items stored at once; each holds a database connection while it runs. */
    private static final int CONCURRENCY = 4;

    private final UserService users;
    private final RequestBinder binder;

    BatchController(UserService users, RequestBinder binder) {
        this.users = users;
        this.binder = binder;
    }

    @PostMapping("/api/v1/users:batch")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(
            summary = "Create or replace up to 1,000 users",
            description = "Answers 200 with one result per item: status 201 or 200 with the stored revision, or a"
                    + " 4xx/5xx status with a problem. Items naming the same id or claiming the same device"
                    + " token as an earlier item are refused.")
    Mono<BatchResult> importUsers(@Valid @RequestBody BatchRequest request) {
        List<Item> items = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> tokens = new HashMap<>();
        for (int i = 0; i < request.users().size(); i++) {
            items.add(item(i, request.users().get(i), ids, tokens));
        }
        return Flux.fromIterable(items)
                .flatMapSequential(this::store, CONCURRENCY)
                .collectList()
                .map(BatchResult::new);
    }

    /** Binds and checks one item; a bad one becomes its result at once. */
    private Item item(int index, JsonNode node, Map<String, Integer> ids, Map<String, Integer> tokens) {
        String at = "#/users/" + index;
        String id = node.isObject() && node.get("id") != null && node.get("id").isString()
                ? node.get("id").stringValue()
                : null;
        List<FieldError> errors = new ArrayList<>();
        if (!node.isObject()) {
            errors.add(FieldError.body(at, "must be an object"));
        } else if (node.get("id") == null) {
            errors.add(FieldError.body(at + "/id", "is required"));
        } else if (id == null) {
            errors.add(FieldError.body(at + "/id", "must be a string"));
        } else if (!USER_ID.matcher(id).matches()) {
            errors.add(FieldError.body(at + "/id", UserIds.MESSAGE));
        } else if (ids.putIfAbsent(id, index) != null) {
            errors.add(FieldError.body(at + "/id", "is also the id of item " + ids.get(id)));
        }
        PutUserRequest user = null;
        if (node.isObject()) {
            ObjectNode fields = ((ObjectNode) node).deepCopy();
            fields.remove("id");
            try {
                user = binder.bind(fields, PutUserRequest.class, at);
            } catch (InvalidRequestException e) {
                errors.addAll(e.errors());
            }
        }
        if (user != null && errors.isEmpty()) {
            for (int d = 0; d < user.devices().size(); d++) {
                Integer owner = tokens.get(user.devices().get(d).token());
                if (owner != null) {
                    errors.add(FieldError.body(at + "/devices/" + d + "/token", "is also a device of item " + owner));
                }
            }
            // only a valid item claims its tokens, so a bad item refuses no later good one
            if (errors.isEmpty()) {
                user.devices().forEach(device -> tokens.putIfAbsent(device.token(), index));
            }
        }
        if (!errors.isEmpty()) {
            return new Item(
                    index,
                    id,
                    null,
                    ItemResult.failed(
                            index, id, invalid(new InvalidRequestException("The item is not valid.", errors), "#")));
        }
        return new Item(index, id, user, null);
    }

    private Mono<ItemResult> store(Item item) {
        if (item.result() != null) {
            return Mono.just(item.result());
        }
        String at = "#/users/" + item.index();
        return users.put(item.id(), item.user(), Preconditions.NONE)
                .map(written -> new ItemResult(
                        item.index(),
                        item.id(),
                        written.created() ? 201 : 200,
                        written.profile().revision(),
                        null))
                .onErrorMap(Databases::unavailable, Databases::unavailableError)
                .onErrorResume(e -> Mono.just(ItemResult.failed(item.index(), item.id(), problem(e, at))));
    }

    private static ProblemDetail problem(Throwable e, String at) {
        if (e instanceof InvalidRequestException invalid) {
            return invalid(invalid, at);
        }
        if (e instanceof ErrorResponse response) {
            return response.getBody();
        }
        log.error("Batch item failed", e);
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "The item could not be stored; send it again.");
    }

    /** The item's problem, its pointers rebased from the item ({@code #/email}) to the batch ({@code at/email}). */
    private static ProblemDetail invalid(InvalidRequestException e, String at) {
        return ProblemDetailsExceptionHandler.invalidBody(
                e.getMessage(),
                e.errors().stream()
                        .map(error ->
                                error.pointer() == null || !error.pointer().startsWith("#/") || at.equals("#")
                                        ? error
                                        : FieldError.body(at + error.pointer().substring(1), error.detail()))
                        .toList());
    }

    /**
     * Body of a batch import.
     *
     * @param users each an object with the user's {@code id} and the fields of a PUT
     */
    record BatchRequest(@NotNull @Size(min = 1, max = 1000) List<@NotNull JsonNode> users) {}

    /** One result per item, in request order. */
    record BatchResult(List<ItemResult> results) {}

    /**
     * What became of one item.
     *
     * @param index position of the item in the request
     * @param id its user id, when it had one
     * @param status 201 created, 200 replaced, or the status of the problem
     * @param revision the stored profile's revision, when stored
     * @param problem why it was not stored
     */
    record ItemResult(int index, String id, int status, Long revision, Map<String, Object> problem) {

        static ItemResult failed(int index, String id, ProblemDetail problem) {
            return new ItemResult(index, id, problem.getStatus(), null, Problems.asMap(problem));
        }
    }

    private record Item(int index, String id, PutUserRequest user, ItemResult result) {}
}
