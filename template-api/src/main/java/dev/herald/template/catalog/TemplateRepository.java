package dev.herald.template.catalog;

import dev.herald.schemas.Template;
import dev.herald.schemas.kafka.HeraldJson;
import io.r2dbc.postgresql.codec.Json;
import java.time.OffsetDateTime;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/** SQL over {@code templates} (one row per template) and {@code template_versions} (immutable). */
@Repository
class TemplateRepository {

    private static final TypeReference<Map<String, Template.Content>> LOCALES = new TypeReference<>() {};

    private final DatabaseClient db;

    TemplateRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Reserves the next version number of template {@code id} and makes it active; locks the template. */
    Mono<NextVersion> activateNextVersion(String id) {
        return db.sql("""
                        INSERT INTO templates (id, active_version, latest_version) VALUES (:id, 1, 1)
                        ON CONFLICT (id) DO UPDATE
                            SET active_version = templates.latest_version + 1,
                                latest_version = templates.latest_version + 1,
                                updated_at = now()
                        RETURNING active_version, (xmax = 0) AS created
                        """)
                .bind("id", id)
                .map(row ->
                        new NextVersion(row.get("active_version", Integer.class), row.get("created", Boolean.class)))
                .one();
    }

    /** Stores version {@code version} of template {@code id}. */
    Mono<Void> insertVersion(String id, int version, PutTemplateRequest content) {
        GenericExecuteSpec insert = db.sql("""
                        INSERT INTO template_versions (template_id, version, name, category, critical, default_locale, locales)
                        VALUES (:id, :version, :name, :category, :critical, :defaultLocale, :locales)
                        """)
                .bind("id", id)
                .bind("version", version)
                .bind("name", content.name())
                .bind("critical", content.critical())
                .bind("defaultLocale", content.defaultLocale())
                .bind("locales", Json.of(HeraldJson.mapper().writeValueAsBytes(content.locales())));
        insert = content.category() == null
                ? insert.bindNull("category", String.class)
                : insert.bind("category", content.category());
        return insert.then();
    }

    /** The active version of template {@code id}, or empty. */
    Mono<Template> findActive(String id) {
        return find("v.version = t.active_version", id, null);
    }

    /** Version {@code version} of template {@code id}, active or not, or empty. */
    Mono<Template> findVersion(String id, int version) {
        return find("v.version = :version", id, version);
    }

    private Mono<Template> find(String versionCondition, String id, Integer version) {
        GenericExecuteSpec query = db.sql("""
                        SELECT v.template_id, v.version, v.name, v.category, v.critical, v.default_locale, v.locales,
                               v.created_at
                        FROM templates t JOIN template_versions v ON v.template_id = t.id AND %s
                        WHERE t.id = :id
                        """.formatted(versionCondition)).bind("id", id);
        if (version != null) {
            query = query.bind("version", version);
        }
        return query.map(row -> new Template(
                        row.get("template_id", String.class),
                        row.get("version", Integer.class),
                        row.get("name", String.class),
                        row.get("category", String.class),
                        row.get("critical", Boolean.class),
                        row.get("default_locale", String.class),
                        HeraldJson.mapper()
                                .readValue(row.get("locales", Json.class).asArray(), LOCALES),
                        row.get("created_at", OffsetDateTime.class).toInstant()))
                .one();
    }

    /**
     * @param version the version number now active
     * @param created whether the template is new
     */
    record NextVersion(int version, boolean created) {}
}
