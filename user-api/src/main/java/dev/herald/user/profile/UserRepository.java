package dev.herald.user.profile;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.Device;
import dev.herald.schemas.UserProfile.EmailStatus;
import dev.herald.schemas.UserProfile.Platform;
import dev.herald.schemas.UserProfile.Preferences;
import dev.herald.schemas.kafka.HeraldJson;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * SQL over the {@code users} and {@code devices} tables. Every change of a profile takes the next value of
 * {@code user_revision}; writes lock the user's row first, so one user's changes are serialised.
 */
@Repository
class UserRepository {

    private static final String PROFILE_COLUMNS =
            "id, email, email_status, locale, time_zone, preferences, updated_at, revision";

    private final DatabaseClient db;

    UserRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Inserts or replaces the user's own columns; emits whether the user is new. Locks the row. */
    Mono<Boolean> upsert(String id, PutUserRequest user) {
        GenericExecuteSpec upsert = db.sql("""
                        INSERT INTO users (id, email, email_status, locale, time_zone, preferences, updated_at)
                        VALUES (:id, :email, :emailStatus, :locale, :timeZone, :preferences, now())
                        ON CONFLICT (id) DO UPDATE SET
                            email = EXCLUDED.email, email_status = EXCLUDED.email_status, locale = EXCLUDED.locale,
                            time_zone = EXCLUDED.time_zone, preferences = EXCLUDED.preferences, updated_at = now(),
                            revision = nextval('user_revision')
                        RETURNING (xmax = 0) AS created
                        """)
                .bind("id", id)
                .bind("emailStatus", wire(user.emailStatus() == null ? EmailStatus.ACTIVE : user.emailStatus()))
                .bind(
                        "preferences",
                        Json.of(HeraldJson.mapper()
                                .writeValueAsBytes(user.stored().preferences())));
        upsert = bindNullable(upsert, "email", user.email());
        upsert = bindNullable(upsert, "locale", user.locale());
        upsert = bindNullable(upsert, "timeZone", user.timeZone());
        return upsert.map(row -> row.get("created", Boolean.class)).one();
    }

    /** Marks the users changed (a device came or went) without touching their own columns. */
    Mono<Void> touch(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("UPDATE users SET revision = nextval('user_revision'), updated_at = now() WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(String[]::new))
                .then();
    }

    /** Locks and returns the other users that currently own any of {@code tokens}. */
    Flux<String> lockOtherOwners(String id, List<String> tokens) {
        if (tokens.isEmpty()) {
            return Flux.empty();
        }
        // Lock the devices first: a concurrent move of the same token then finishes before we read its owner.
        return db.sql("SELECT user_id FROM devices WHERE token = ANY(:tokens) ORDER BY token FOR UPDATE")
                .bind("tokens", tokens.toArray(String[]::new))
                .map(row -> row.get("user_id", String.class))
                .all()
                .filter(owner -> !owner.equals(id))
                .distinct()
                .collectList()
                .flatMapMany(owners -> owners.isEmpty()
                        ? Flux.empty()
                        : db.sql("SELECT id FROM users WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                                .bind("ids", owners.toArray(String[]::new))
                                .map(row -> row.get("id", String.class))
                                .all());
    }

    /**
     * Makes {@code devices} the user's exact device list, taking tokens over from other users. A token's
     * registration time is renewed when it moves here or is in {@code registeredNow}.
     */
    Mono<Void> replaceDevices(String id, List<PutUserRequest.Device> devices, Set<String> registeredNow) {
        Mono<Void> removeOthers = db.sql("DELETE FROM devices WHERE user_id = :id AND NOT (token = ANY(:tokens))")
                .bind("id", id)
                .bind(
                        "tokens",
                        devices.stream().map(PutUserRequest.Device::token).toArray(String[]::new))
                .then();
        Flux<Long> upserts = Flux.fromIterable(devices)
                .concatMap(device -> bindNullable(
                                db.sql("""
                                        INSERT INTO devices (token, user_id, platform, app_id) VALUES (:token, :id, :platform, :appId)
                                        ON CONFLICT (token) DO UPDATE SET
                                            user_id = EXCLUDED.user_id, platform = EXCLUDED.platform, app_id = EXCLUDED.app_id,
                                            registered_at = CASE WHEN devices.user_id = EXCLUDED.user_id AND NOT :renew
                                                THEN devices.registered_at ELSE now() END
                                        """)
                                        .bind("token", device.token())
                                        .bind("id", id)
                                        .bind("platform", wire(device.platform()))
                                        .bind("renew", registeredNow.contains(device.token())),
                                "appId",
                                device.appId())
                        .fetch()
                        .rowsUpdated());
        return removeOthers.thenMany(upserts).then();
    }

    /** The user's current profile, or empty; {@code lock} locks the user's row until the transaction ends. */
    Mono<UserProfile> find(String id, boolean lock) {
        return db.sql("SELECT " + PROFILE_COLUMNS + " FROM users WHERE id = :id" + (lock ? " FOR UPDATE" : ""))
                .bind("id", id)
                .map(UserRepository::profile)
                .one()
                .flatMap(profile -> withDevices(List.of(profile)).next());
    }

    /**
     * Up to {@code limit} users in id order after {@code after} (or from the start), with the given email
     * address (case-insensitive) when {@code email} is not {@code null}.
     */
    Flux<UserProfile> page(String after, String email, int limit) {
        GenericExecuteSpec query = db.sql("SELECT " + PROFILE_COLUMNS + " FROM users"
                        + " WHERE id > :after" + (email == null ? "" : " AND lower(email) = lower(:email)")
                        + " ORDER BY id LIMIT :limit")
                .bind("after", after == null ? "" : after)
                .bind("limit", limit);
        if (email != null) {
            query = query.bind("email", email);
        }
        return query.map(UserRepository::profile).all().collectList().flatMapMany(this::withDevices);
    }

    /** Deletes the user and its devices; emits whether it existed. */
    Mono<Boolean> delete(String id) {
        return db.sql("DELETE FROM users WHERE id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(deleted -> deleted > 0);
    }

    /** The next revision, for a change that leaves no row behind (a deletion). */
    Mono<Long> nextRevision() {
        return db.sql("SELECT nextval('user_revision')")
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /** Locks and returns the device with {@code token}, or empty. */
    Mono<RegisteredDevice> lockDevice(String token) {
        return db.sql("SELECT user_id, registered_at FROM devices WHERE token = :token FOR UPDATE")
                .bind("token", token)
                .map(row -> new RegisteredDevice(
                        token,
                        row.get("user_id", String.class),
                        row.get("registered_at", OffsetDateTime.class).toInstant()))
                .one();
    }

    /** Removes the device with {@code token}. */
    Mono<Void> deleteDevice(String token) {
        return db.sql("DELETE FROM devices WHERE token = :token")
                .bind("token", token)
                .then();
    }

    /** Sets the standing of the user's address. */
    Mono<Void> setEmailStatus(String id, EmailStatus status) {
        return db.sql("""
                        UPDATE users SET email_status = :status, updated_at = now(), revision = nextval('user_revision')
                        WHERE id = :id
                        """).bind("id", id).bind("status", wire(status)).then();
    }

    /** A device's owner and when it was last registered. */
    record RegisteredDevice(String token, String userId, Instant registeredAt) {}

    private Flux<UserProfile> withDevices(List<UserProfile> profiles) {
        if (profiles.isEmpty()) {
            return Flux.empty();
        }
        Map<String, List<Device>> devices = new LinkedHashMap<>();
        profiles.forEach(profile -> devices.put(profile.id(), new ArrayList<>()));
        return db.sql("""
                        SELECT user_id, token, platform, app_id FROM devices WHERE user_id = ANY(:ids)
                        ORDER BY registered_at, token
                        """)
                .bind("ids", devices.keySet().toArray(String[]::new))
                .map(row -> {
                    devices.get(row.get("user_id", String.class))
                            .add(new Device(
                                    row.get("token", String.class),
                                    Platform.valueOf(
                                            row.get("platform", String.class).toUpperCase(Locale.ROOT)),
                                    row.get("app_id", String.class)));
                    return 1;
                })
                .all()
                .thenMany(Flux.fromIterable(profiles))
                .map(profile -> new UserProfile(
                        profile.id(),
                        profile.email(),
                        profile.emailStatus(),
                        profile.locale(),
                        profile.timeZone(),
                        devices.get(profile.id()),
                        profile.preferences(),
                        profile.updatedAt(),
                        profile.revision()));
    }

    private static UserProfile profile(Readable row) {
        return new UserProfile(
                row.get("id", String.class),
                row.get("email", String.class),
                EmailStatus.valueOf(row.get("email_status", String.class).toUpperCase(Locale.ROOT)),
                row.get("locale", String.class),
                row.get("time_zone", String.class),
                List.of(),
                HeraldJson.mapper().readValue(row.get("preferences", Json.class).asArray(), Preferences.class),
                row.get("updated_at", OffsetDateTime.class).toInstant(),
                row.get("revision", Long.class));
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static GenericExecuteSpec bindNullable(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
