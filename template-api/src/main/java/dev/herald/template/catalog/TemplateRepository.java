package dev.herald.template.catalog;

import dev.herald.platform.web.Preconditions;
import dev.herald.schemas.Template;
import dev.herald.schemas.kafka.HeraldJson;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/**
 * SQL over {@code templates} (one row per template: its active and latest version numbers and its revision) and {@code
 * template_versions} (drafts, and immutable published versions). Writes lock the template's row first, so
 * one template's changes are serialised.
 */
@Repository
class TemplateRepository {

    private static final TypeReference<Map<String, Template.Content>> LOCALES = new TypeReference<>() {};

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private static final String VERSION_COLUMNS = """
            v.template_id, v.version, v.state, v.name, v.category, v.critical, v.default_locale, v.locales,
            v.created_at, v.updated_at, v.published_at, (t.active_version = v.version) AS active,
            v.layout, v.data_schema, (SELECT l.html FROM layouts l WHERE l.name = v.layout) AS layout_html,
            t.revision
            """;

    private final DatabaseClient db;

    TemplateRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Creates template {@code id} if it does not exist, then locks it; emits its revision before this write, or
     * {@code null} when this write created it.
     */
    Mono<Optional<Long>> createAndLock(String id) {
        return db.sql("INSERT INTO templates (id, latest_version) VALUES (:id, 0) ON CONFLICT (id) DO NOTHING")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .flatMap(inserted -> lock(id).map(
                                revision -> inserted > 0 ? Optional.<Long>empty() : Optional.of(revision))
                        // deleted by a write that committed between the two statements: the transaction is redone
                        .switchIfEmpty(Mono.error(() -> new ConcurrencyFailureException(
                                "Template '" + id + "' was deleted while this write created it"))));
    }

    /** Locks template {@code id}; emits its revision, or empty when it does not exist. */
    Mono<Long> lock(String id) {
        return db.sql("SELECT revision FROM templates WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map(row -> row.get("revision", Long.class))
                .one();
    }

    /** Gives a locked template its next revision: whatever this transaction writes to it is a new revision. */
    Mono<Void> touch(String id) {
        return db.sql("UPDATE templates SET revision = nextval('template_revisions') WHERE id = :id")
                .bind("id", id)
                .then();
    }

    /** Reserves the next version number of a locked template. */
    Mono<Integer> nextVersion(String id) {
        return db.sql("""
                        UPDATE templates SET latest_version = latest_version + 1, updated_at = now() WHERE id = :id
                        RETURNING latest_version
                        """)
                .bind("id", id)
                .map(row -> row.get("latest_version", Integer.class))
                .one();
    }

    /** Stores version {@code version} of template {@code id} as a draft or published. */
    Mono<Void> insertVersion(String id, int version, State state, PutTemplateRequest content) {
        GenericExecuteSpec insert =
                db.sql("""
                        INSERT INTO template_versions
                            (template_id, version, state, name, category, critical, default_locale, locales, published_at,
                             layout, data_schema)
                        VALUES (:id, :version, :state, :name, :category, :critical, :defaultLocale, :locales,
                                CASE WHEN :state = 'published' THEN now() END, :layout, :dataSchema)
                        """).bind("id", id).bind("version", version).bind("state", state.wire());
        return bindContent(insert, content).then();
    }

    /** Replaces the content of draft {@code version}; emits whether there was such a draft. */
    Mono<Boolean> replaceDraft(String id, int version, PutTemplateRequest content) {
        GenericExecuteSpec update = db.sql("""
                        UPDATE template_versions SET name = :name, category = :category, critical = :critical,
                            default_locale = :defaultLocale, locales = :locales, layout = :layout,
                            data_schema = :dataSchema, updated_at = now()
                        WHERE template_id = :id AND version = :version AND state = 'draft'
                        """).bind("id", id).bind("version", version);
        return bindContent(update, content).fetch().rowsUpdated().map(updated -> updated > 0);
    }

    /** Publishes draft {@code version}: it is immutable from now on. */
    Mono<Void> markPublished(String id, int version) {
        return db.sql("""
                        UPDATE template_versions SET state = 'published', published_at = now(), updated_at = now()
                        WHERE template_id = :id AND version = :version
                        """).bind("id", id).bind("version", version).then();
    }

    /** The HTML of layout {@code name}, or empty when there is none; locks it against change until the transaction ends. */
    Mono<String> shareLayoutHtml(String name) {
        return db.sql("SELECT html FROM layouts WHERE name = :name FOR SHARE")
                .bind("name", name)
                .map(row -> row.get("html", String.class))
                .one();
    }

    /** The data schema of every version, draft or published, that uses layout {@code name} and has one. */
    Flux<VersionSchema> schemasUsing(String name) {
        return db.sql("""
                        SELECT template_id, version, data_schema FROM template_versions
                        WHERE layout = :name AND data_schema IS NOT NULL ORDER BY template_id, version
                        """)
                .bind("name", name)
                .map(row -> new VersionSchema(
                        row.get("template_id", String.class),
                        row.get("version", Integer.class),
                        HeraldJson.mapper()
                                .readValue(row.get("data_schema", Json.class).asArray(), OBJECT)))
                .all();
    }

    /** The data schema of one version of a template. */
    record VersionSchema(String templateId, int version, Map<String, Object> schema) {}

    /** Locks, in id order, and returns the templates whose active version uses layout {@code name}. */
    Flux<String> lockActiveUsersOf(String name) {
        return db.sql("""
                        SELECT t.id FROM templates t
                        JOIN template_versions v ON v.template_id = t.id AND v.version = t.active_version
                        WHERE v.layout = :name ORDER BY t.id FOR UPDATE OF t
                        """)
                .bind("name", name)
                .map(row -> row.get("id", String.class))
                .all();
    }

    /** Makes published {@code version} the active one. */
    Mono<Void> activate(String id, int version) {
        return db.sql("UPDATE templates SET active_version = :version, updated_at = now() WHERE id = :id")
                .bind("id", id)
                .bind("version", version)
                .then();
    }

    /** Deletes the template and all its versions; emits whether it existed. */
    Mono<Boolean> delete(String id) {
        return db.sql("DELETE FROM templates WHERE id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(deleted -> deleted > 0);
    }

    /** Whether template {@code id} exists (with an active version or drafts only). */
    Mono<Boolean> exists(String id) {
        return db.sql("SELECT 1 FROM templates WHERE id = :id")
                .bind("id", id)
                .map(row -> 1)
                .all()
                .hasElements();
    }

    /** The active version of template {@code id}, or empty. */
    Mono<TemplateVersion> findActive(String id) {
        return version("v.version = t.active_version", id, null);
    }

    /** Version {@code version} of template {@code id}, draft or published, or empty. */
    Mono<TemplateVersion> findVersion(String id, int version) {
        return version("v.version = :version", id, version);
    }

    /** Every version of template {@code id}, newest first. */
    Flux<TemplateVersion> versions(String id) {
        return db.sql("SELECT " + VERSION_COLUMNS
                        + " FROM templates t JOIN template_versions v ON v.template_id = t.id"
                        + " WHERE t.id = :id ORDER BY v.version DESC")
                .bind("id", id)
                .map(TemplateRepository::version)
                .all();
    }

    /**
     * Up to {@code limit} active templates in id order after {@code after}, of {@code category} and having
     * content in {@code locale} (exact tag, case-insensitive) when those are given.
     */
    Flux<TemplateVersion> page(String after, String category, String locale, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + VERSION_COLUMNS
                + " FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.active_version"
                + " WHERE t.id > :after");
        if (category != null) {
            sql.append(" AND v.category = :category");
        }
        if (locale != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM jsonb_object_keys(v.locales) k WHERE lower(k) = lower(:locale))");
        }
        sql.append(" ORDER BY t.id LIMIT :limit");
        GenericExecuteSpec query =
                db.sql(sql.toString()).bind("after", after == null ? "" : after).bind("limit", limit);
        if (category != null) {
            query = query.bind("category", category);
        }
        if (locale != null) {
            query = query.bind("locale", locale);
        }
        return query.map(TemplateRepository::version).all();
    }

    private Mono<TemplateVersion> version(String versionCondition, String id, Integer version) {
        GenericExecuteSpec query = db.sql("SELECT " + VERSION_COLUMNS
                        + " FROM templates t JOIN template_versions v ON v.template_id = t.id AND " + versionCondition
                        + " WHERE t.id = :id")
                .bind("id", id);
        if (version != null) {
            query = query.bind("version", version);
        }
        return query.map(TemplateRepository::version).one();
    }

    private static GenericExecuteSpec bindContent(GenericExecuteSpec spec, PutTemplateRequest content) {
        GenericExecuteSpec bound = spec.bind("name", content.name())
                .bind("critical", content.critical())
                .bind("defaultLocale", content.defaultLocale())
                .bind("locales", Json.of(HeraldJson.mapper().writeValueAsBytes(content.locales())));
        bound = content.category() == null
                ? bound.bindNull("category", String.class)
                : bound.bind("category", content.category());
        bound = content.layout() == null
                ? bound.bindNull("layout", String.class)
                : bound.bind("layout", content.layout());
        return content.dataSchema() == null
                ? bound.bindNull("dataSchema", Json.class)
                : bound.bind("dataSchema", Json.of(HeraldJson.mapper().writeValueAsBytes(content.dataSchema())));
    }

    private static TemplateVersion version(Readable row) {
        OffsetDateTime publishedAt = row.get("published_at", OffsetDateTime.class);
        Json dataSchema = row.get("data_schema", Json.class);
        return new TemplateVersion(
                row.get("template_id", String.class),
                row.get("version", Integer.class),
                State.valueOf(row.get("state", String.class).toUpperCase(java.util.Locale.ROOT)),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                row.get("name", String.class),
                row.get("category", String.class),
                row.get("critical", Boolean.class),
                row.get("default_locale", String.class),
                HeraldJson.mapper().readValue(row.get("locales", Json.class).asArray(), LOCALES),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant(),
                publishedAt == null ? null : publishedAt.toInstant(),
                row.get("layout", String.class),
                row.get("layout_html", String.class),
                dataSchema == null ? null : HeraldJson.mapper().readValue(dataSchema.asArray(), OBJECT),
                row.get("revision", Long.class));
    }

    /** Whether a version may still change. */
    enum State {
        @com.fasterxml.jackson.annotation.JsonProperty("draft")
        DRAFT,
        @com.fasterxml.jackson.annotation.JsonProperty("published")
        PUBLISHED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A version of a template, as the API shows it.
     *
     * @param templateId the template
     * @param version its number
     * @param state draft or published
     * @param active whether enrich-stream delivers this version
     * @param name human-readable name
     * @param category preference category, or absent
     * @param critical bypasses opt-outs and quiet hours
     * @param defaultLocale the fallback locale
     * @param locales content per locale and channel
     * @param createdAt when the version was created
     * @param updatedAt when it last changed (a draft is edited, a version published)
     * @param publishedAt when it was published, or absent for a draft
     * @param layout name of the email layout, or absent
     * @param layoutHtml the layout's current source (not shown: the layout has its own resource)
     * @param dataSchema JSON Schema of the notification data, or absent
     * @param revision the template's revision, sent as its {@code ETag} (not shown: every version of a template
     *     has the template's)
     */
    record TemplateVersion(
            String templateId,
            int version,
            State state,
            boolean active,
            String name,
            String category,
            boolean critical,
            String defaultLocale,
            Map<String, Template.Content> locales,
            Instant createdAt,
            Instant updatedAt,
            Instant publishedAt,
            String layout,
            @com.fasterxml.jackson.annotation.JsonIgnore String layoutHtml,
            Map<String, Object> dataSchema,
            @com.fasterxml.jackson.annotation.JsonIgnore long revision) {

        /** The template's entity tag. */
        String etag() {
            return Preconditions.etag(revision);
        }

        /** The version as the {@code templates} topic carries it. */
        Template toTemplate() {
            return new Template(
                    templateId,
                    version,
                    name,
                    category,
                    critical,
                    defaultLocale,
                    locales,
                    publishedAt,
                    layout == null ? null : new Template.Layout(layout, layoutHtml),
                    dataSchema);
        }
    }
}
