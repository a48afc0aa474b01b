package dev.herald.user.profile;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.Device;
import dev.herald.schemas.UserProfile.EmailStatus;
import dev.herald.schemas.UserProfile.Platform;
import dev.herald.schemas.UserProfile.Preferences;
import dev.herald.schemas.kafka.HeraldJson;
import io.r2dbc.postgresql.codec.Json;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SQL over the {@code users} and {@code devices} tables. */
@Repository
class UserRepository {

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
                            time_zone = EXCLUDED.time_zone, preferences = EXCLUDED.preferences, updated_at = now()
                        RETURNING (xmax = 0) AS created
                        """)
                .bind("id", id)
                .bind("emailStatus", wire(user.emailStatus() == null ? EmailStatus.ACTIVE : user.emailStatus()))
                .bind(
                        "preferences",
                        Json.of(HeraldJson.mapper()
                                .writeValueAsBytes(
                                        user.preferences() == null ? Preferences.NONE : user.preferences())));
        upsert = bindNullable(upsert, "email", user.email());
        upsert = bindNullable(upsert, "locale", user.locale());
        upsert = bindNullable(upsert, "timeZone", user.timeZone());
        return upsert.map(row -> row.get("created", Boolean.class)).one();
    }

    /** Locks and returns the other users that currently own any of {@code tokens}. */
    Flux<String> lockOtherOwners(String id, List<String> tokens) {
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

    /** Makes {@code devices} the user's exact device list, taking tokens over from other users. */
    Mono<Void> replaceDevices(String id, List<PutUserRequest.Device> devices) {
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
                                            user_id = EXCLUDED.user_id, platform = EXCLUDED.platform, app_id = EXCLUDED.app_id
                                        """)
                                        .bind("token", device.token())
                                        .bind("id", id)
                                        .bind("platform", wire(device.platform())),
                                "appId",
                                device.appId())
                        .fetch()
                        .rowsUpdated());
        return removeOthers.thenMany(upserts).then();
    }

    /** The user's current profile, or empty. */
    Mono<UserProfile> find(String id) {
        Mono<List<Device>> devices = db.sql(
                        "SELECT token, platform, app_id FROM devices WHERE user_id = :id ORDER BY created_at, token")
                .bind("id", id)
                .map(row -> new Device(
                        row.get("token", String.class),
                        Platform.valueOf(row.get("platform", String.class).toUpperCase(Locale.ROOT)),
                        row.get("app_id", String.class)))
                .all()
                .collectList();
        return db.sql("""
                        SELECT id, email, email_status, locale, time_zone, preferences, updated_at
                        FROM users WHERE id = :id
                        """)
                .bind("id", id)
                .map(row -> new UserProfile(
                        row.get("id", String.class),
                        row.get("email", String.class),
                        EmailStatus.valueOf(
                                row.get("email_status", String.class).toUpperCase(Locale.ROOT)),
                        row.get("locale", String.class),
                        row.get("time_zone", String.class),
                        List.of(),
                        HeraldJson.mapper()
                                .readValue(row.get("preferences", Json.class).asArray(), Preferences.class),
                        row.get("updated_at", OffsetDateTime.class).toInstant()))
                .one()
                .zipWith(
                        devices,
                        (profile, list) -> new UserProfile(
                                profile.id(),
                                profile.email(),
                                profile.emailStatus(),
                                profile.locale(),
                                profile.timeZone(),
                                list,
                                profile.preferences(),
                                profile.updatedAt()));
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static GenericExecuteSpec bindNullable(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
