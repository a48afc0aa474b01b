package dev.herald.user.profile;

import dev.herald.platform.db.Transactions;
import dev.herald.platform.outbox.Outbox;
import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.platform.web.JsonMergePatch;
import dev.herald.platform.web.Preconditions;
import dev.herald.platform.web.RequestBinder;
import dev.herald.schemas.EmailFeedback;
import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.EmailStatus;
import dev.herald.schemas.UserProfile.Preferences;
import dev.herald.schemas.kafka.Topics;
import dev.herald.user.cache.UserCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes profiles to PostgreSQL and, in the same transaction, every changed profile to the outbox of the
 * {@code users} topic; reads them through the cache.
 *
 * <p>Every write locks the user's row, reads the current profile, computes the next one, validates it
 * against the {@code users} schema and stores it. A token registered to another user moves, and the profile
 * of its previous owner is published too.
 */
@Service
public class UserService {

    private final UserRepository users;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final UserCache cache;
    private final RequestBinder binder;
    private final JsonMapper json;

    UserService(
            UserRepository users,
            Outbox outbox,
            TransactionalOperator tx,
            UserCache cache,
            RequestBinder binder,
            JsonMapper json) {
        this.users = users;
        this.outbox = outbox;
        this.tx = tx;
        this.cache = cache;
        this.binder = binder;
        this.json = json;
    }

    /**
     * Creates or replaces user {@code id}. An absent email status keeps the current one if the address is
     * unchanged, so re-sending a profile does not revive a bounced address.
     */
    public Mono<Written> put(String id, PutUserRequest request, Preconditions preconditions) {
        return write(
                id,
                preconditions,
                false,
                Set.of(),
                current -> request.emailStatus() != null
                        ? request
                        : request.withEmailStatus(
                                sameAddress(current, request) ? current.emailStatus() : EmailStatus.ACTIVE));
    }

    /** Applies a JSON merge patch to the user's fields (those of {@link PutUserRequest}). */
    public Mono<Written> patch(String id, JsonNode patch, Preconditions preconditions) {
        requireObject(patch);
        return write(id, preconditions, true, Set.of(), current -> {
            PutUserRequest next =
                    binder.bind(JsonMergePatch.apply(json.valueToTree(current), patch), PutUserRequest.class, "#");
            return patch.has("emailStatus") || sameAddress(current, next)
                    ? next
                    : next.withEmailStatus(EmailStatus.ACTIVE);
        });
    }

    /**
     * Registers a push device for the user, moving it from any other user; when the user already has the
     * most devices allowed, the least recently registered one goes.
     */
    public Mono<DeviceRegistration> addDevice(String id, PutUserRequest.Device device, Preconditions preconditions) {
        AtomicBoolean newToUser = new AtomicBoolean();
        return write(id, preconditions, true, Set.of(device.token()), current -> {
                    List<PutUserRequest.Device> devices = new ArrayList<>(current.devices());
                    newToUser.set(!devices.removeIf(d -> d.token().equals(device.token())));
                    devices.add(device);
                    while (devices.size() > PutUserRequest.MAX_DEVICES) {
                        devices.removeFirst();
                    }
                    return current.withDevices(devices);
                })
                .map(written -> new DeviceRegistration(written, newToUser.get()));
    }

    /**
     * Outcome of registering a device.
     *
     * @param written the write
     * @param newToUser whether the user did not have the token before
     */
    public record DeviceRegistration(Written written, boolean newToUser) {}

    /** Removes the user's device with {@code token}. */
    public Mono<Written> removeDevice(String id, String token, Preconditions preconditions) {
        return write(id, preconditions, true, Set.of(), current -> {
            List<PutUserRequest.Device> devices = current.devices().stream()
                    .filter(d -> !d.token().equals(token))
                    .toList();
            if (devices.size() == current.devices().size()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "User '" + id + "' has no such device.");
            }
            return current.withDevices(devices);
        });
    }

    /** Replaces the user's preferences. */
    public Mono<Written> putPreferences(String id, Preferences preferences, Preconditions preconditions) {
        return asPreferences(write(id, preconditions, true, Set.of(), current -> current.withPreferences(preferences)));
    }

    /** Applies a JSON merge patch to the user's preferences. */
    public Mono<Written> patchPreferences(String id, JsonNode patch, Preconditions preconditions) {
        requireObject(patch);
        return asPreferences(write(
                id,
                preconditions,
                true,
                Set.of(),
                current -> current.withPreferences(binder.bind(
                        JsonMergePatch.apply(json.valueToTree(current.preferences()), patch),
                        Preferences.class,
                        "#"))));
    }

    /**
     * {@code write} of the preferences alone, whose body is the preferences: a problem the user's checks point to
     * under {@code #/preferences} is pointed to in that body.
     */
    private static Mono<Written> asPreferences(Mono<Written> write) {
        return write.onErrorMap(
                e -> e instanceof InvalidRequestException invalid
                        && invalid.errors().stream().anyMatch(error -> underPreferences(error) != null),
                e -> {
                    List<FieldError> errors = ((InvalidRequestException) e)
                            .errors().stream()
                                    .map(error -> {
                                        String pointer = underPreferences(error);
                                        return pointer == null ? error : FieldError.body(pointer, error.detail());
                                    })
                                    .toList();
                    return new InvalidRequestException("The preferences are not valid.", errors);
                });
    }

    /** Where in the preferences {@code error} points, or {@code null} when it points elsewhere. */
    private static String underPreferences(FieldError error) {
        String prefix = "#/preferences";
        String pointer = error.pointer();
        return pointer != null && (pointer.equals(prefix) || pointer.startsWith(prefix + "/"))
                ? "#" + pointer.substring(prefix.length())
                : null;
    }

    /** Deletes the user; a tombstone goes to the {@code users} topic. */
    public Mono<Void> delete(String id, Preconditions preconditions) {
        return retryingTransaction(users.find(id, true)
                        .switchIfEmpty(Mono.error(() -> notFound(id)))
                        .flatMap(current -> {
                            preconditions.check(current.revision());
                            return users.delete(id)
                                    .then(outbox.append(Topics.USERS, id, null))
                                    .then(users.nextRevision());
                        }))
                .flatMap(revision -> cache.forget(id, revision));
    }

    /** The profile of user {@code id}, or empty. */
    public Mono<UserProfile> get(String id) {
        return cache.get(id)
                .switchIfEmpty(Mono.defer(() -> users.find(id, false).flatMap(cache::put)));
    }

    /** A page of users in id order, after the user {@code after} (or from the first), filtered by email. */
    public Mono<List<UserProfile>> list(String after, String email, int limit) {
        return users.page(after, email, limit).collectList();
    }

    /**
     * Removes a token FCM refused for good from whoever owns it now, unless it was registered again after FCM
     * refused it. Emits whether a profile changed.
     */
    public Mono<Boolean> removeInvalidDevice(InvalidDevice invalid) {
        return retryingTransaction(users.lockDevice(invalid.token())
                        .filter(device -> !device.registeredAt().isAfter(invalid.detectedAt()))
                        .flatMap(device -> users.find(device.userId(), true)
                                .then(users.deleteDevice(device.token()))
                                .then(users.touch(List.of(device.userId())))
                                .then(publish(device.userId()))))
                .flatMap(profile -> cache.store(List.of(profile)).thenReturn(true))
                .defaultIfEmpty(false);
    }

    /**
     * Marks the user's address bounced or complained, if it is still the address the feedback is about.
     * Emits whether the profile changed.
     */
    public Mono<Boolean> applyEmailFeedback(EmailFeedback feedback) {
        EmailStatus status = switch (feedback.type()) {
            case BOUNCED -> EmailStatus.BOUNCED;
            case COMPLAINED -> EmailStatus.COMPLAINED;
        };
        return retryingTransaction(users.find(feedback.userId(), true)
                        .filter(profile ->
                                feedback.email().equalsIgnoreCase(profile.email()) && profile.emailStatus() != status)
                        .flatMap(profile ->
                                users.setEmailStatus(profile.id(), status).then(publish(profile.id()))))
                .flatMap(profile -> cache.store(List.of(profile)).thenReturn(true))
                .defaultIfEmpty(false);
    }

    /**
     * The one way a user changes: lock the row, compute the next request from the current one ({@code null}
     * for a new user), check it, store it and publish every changed profile, then refresh the cache.
     */
    private Mono<Written> write(
            String id,
            Preconditions preconditions,
            boolean mustExist,
            Set<String> registeredNow,
            UnaryOperator<PutUserRequest> change) {
        return retryingTransaction(users.find(id, true)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .flatMap(current -> {
                            if (current.isEmpty() && mustExist) {
                                return Mono.error(notFound(id));
                            }
                            preconditions.check(
                                    current.map(UserProfile::revision).orElse(null));
                            PutUserRequest before =
                                    current.map(PutUserRequest::of).orElse(null);
                            PutUserRequest next = change.apply(before);
                            check(id, next);
                            // a write that changes nothing (an empty merge patch, a PUT of what is stored) is no new
                            // revision: nothing is stored or published, and the client's ETag stays good
                            if (next.storesAs(before) && registeredNow.isEmpty()) {
                                return Mono.just(new Written(current.get(), false, List.of()));
                            }
                            return store(id, next, registeredNow).flatMap(written -> {
                                // no row to lock when it was read: another write created the user meanwhile, and
                                // a create-only write must not overwrite it (this error rolls the upsert back)
                                if (current.isEmpty() && !written.created()) {
                                    preconditions.createdMeanwhile();
                                }
                                return Mono.just(written);
                            });
                        }))
                .flatMap(written -> cache.store(written.changed()).thenReturn(written));
    }

    /** Stores the user, moves its tokens from their previous owners, and publishes every changed profile. */
    private Mono<Written> store(String id, PutUserRequest request, Set<String> registeredNow) {
        List<String> tokens =
                request.devices().stream().map(PutUserRequest.Device::token).toList();
        return users.upsert(id, request)
                .flatMap(created -> users.lockOtherOwners(id, tokens)
                        .collectList()
                        .flatMap(previousOwners -> users.replaceDevices(id, request.devices(), registeredNow)
                                .then(users.touch(previousOwners))
                                .then(publish(id))
                                .flatMap(profile -> Flux.fromIterable(previousOwners)
                                        .concatMap(this::publish)
                                        .collectList()
                                        .map(others -> new Written(profile, created, others)))));
    }

    /** Reads the user's state as this transaction sees it and appends it to the outbox. */
    private Mono<UserProfile> publish(String id) {
        return users.find(id, false)
                .flatMap(profile -> outbox.append(Topics.USERS, id, profile).thenReturn(profile));
    }

    /** Two writes taking tokens from each other can deadlock; PostgreSQL aborts one, which is then redone. */
    private <T> Mono<T> retryingTransaction(Mono<T> work) {
        return Transactions.retrying(tx, work);
    }

    private static boolean sameAddress(PutUserRequest current, PutUserRequest next) {
        return current != null && current.email() != null && current.email().equalsIgnoreCase(next.email());
    }

    private static void requireObject(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidRequestException(
                    "A merge patch must be a JSON object.", List.of(FieldError.body("#", "must be an object")));
        }
    }

    static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No user '" + id + "'.");
    }

    /** Rules bean validation cannot express, and the {@code users} topic's schema as the final word. */
    static void check(String id, PutUserRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < request.devices().size(); i++) {
            if (!tokens.add(request.devices().get(i).token())) {
                errors.add(FieldError.body("#/devices/" + i + "/token", "is listed twice"));
            }
        }
        Preferences preferences = request.preferences();
        if (preferences != null
                && preferences.quietHours() != null
                && Objects.equals(
                        preferences.quietHours().start(),
                        preferences.quietHours().end())) {
            errors.add(FieldError.body("#/preferences/quietHours/end", "must differ from start"));
        }
        UserProfile candidate = new UserProfile(
                id,
                request.email(),
                request.emailStatus(),
                request.locale(),
                request.timeZone(),
                request.devices().stream()
                        .map(d -> new UserProfile.Device(d.token(), d.platform(), d.appId()))
                        .toList(),
                preferences,
                Instant.now(),
                1);
        Topics.USERS.violations(candidate).stream().map(FieldError::of).forEach(errors::add);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The user is not valid.", errors);
        }
    }

    /**
     * Outcome of a write.
     *
     * @param profile the stored profile
     * @param created whether the user is new
     * @param previousOwners profiles of users that lost a device token to this one
     */
    public record Written(UserProfile profile, boolean created, List<UserProfile> previousOwners) {

        List<UserProfile> changed() {
            return Stream.concat(Stream.of(profile), previousOwners.stream()).toList();
        }
    }
}
