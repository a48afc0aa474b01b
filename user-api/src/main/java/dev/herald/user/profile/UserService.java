package dev.herald.user.profile;

import dev.herald.platform.outbox.Outbox;
import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import dev.herald.user.cache.UserCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Writes profiles to PostgreSQL and, in the same transaction, their new state to the outbox for the {@code
 * users} topic; reads them through the cache.
 */
@Service
public class UserService {

    private final UserRepository users;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final UserCache cache;

    UserService(UserRepository users, Outbox outbox, TransactionalOperator tx, UserCache cache) {
        this.users = users;
        this.outbox = outbox;
        this.tx = tx;
        this.cache = cache;
    }

    /** Creates or replaces user {@code id}. */
    public Mono<PutResult> put(String id, PutUserRequest request) {
        return Mono.fromRunnable(() -> check(id, request))
                .then(tx.transactional(Mono.defer(() -> store(id, request)))
                        // two writes taking tokens from each other can deadlock; PostgreSQL aborts one: redo it
                        .retryWhen(Retry.backoff(3, Duration.ofMillis(20))
                                .filter(e -> e instanceof PessimisticLockingFailureException
                                        || e instanceof TransientDataAccessException)
                                .onRetryExhaustedThrow((spec, signal) -> signal.failure())))
                .flatMap(result -> cache.evict(result.changedUsers()).thenReturn(result));
    }

    /** Stores the user, moves its tokens from their previous owners, and publishes every changed profile. */
    private Mono<PutResult> store(String id, PutUserRequest request) {
        List<String> tokens =
                request.devices().stream().map(PutUserRequest.Device::token).toList();
        return users.upsert(id, request)
                .flatMap(created -> users.lockOtherOwners(id, tokens)
                        .collectList()
                        .flatMap(previousOwners -> users.replaceDevices(id, request.devices())
                                .then(publish(id))
                                .flatMap(profile -> Flux.fromIterable(previousOwners)
                                        .concatMap(this::publish)
                                        .then(Mono.just(new PutResult(profile, created, previousOwners))))));
    }

    /** The profile of user {@code id}, or empty. */
    public Mono<UserProfile> get(String id) {
        return cache.get(id).switchIfEmpty(Mono.defer(() -> users.find(id).flatMap(cache::put)));
    }

    /** Reads the user's committed state and appends it to the outbox. */
    private Mono<UserProfile> publish(String id) {
        return users.find(id)
                .flatMap(profile -> outbox.append(Topics.USERS, id, profile).thenReturn(profile));
    }

    /** Rules bean validation cannot express, and the {@code users} topic's schema as the final word. */
    private static void check(String id, PutUserRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < request.devices().size(); i++) {
            if (!tokens.add(request.devices().get(i).token())) {
                errors.add(FieldError.body("#/devices/" + i + "/token", "is listed twice"));
            }
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
                request.preferences(),
                Instant.now());
        Topics.USERS.violations(candidate).stream().map(FieldError::of).forEach(errors::add);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The user is not valid.", errors);
        }
    }

    /**
     * Outcome of a put.
     *
     * @param profile the stored profile
     * @param created whether the user is new
     * @param previousOwners users that lost a device token to this one
     */
    public record PutResult(UserProfile profile, boolean created, List<String> previousOwners) {

        List<String> changedUsers() {
            List<String> changed = new ArrayList<>(previousOwners);
            changed.add(profile.id());
            return changed;
        }
    }
}
