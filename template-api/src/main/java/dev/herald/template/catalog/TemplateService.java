package dev.herald.template.catalog;

import dev.herald.platform.db.Transactions;
import dev.herald.platform.outbox.Outbox;
import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.platform.web.Preconditions;
import dev.herald.render.DataSchemas;
import dev.herald.render.TemplateCheck;
import dev.herald.schemas.Template;
import dev.herald.schemas.kafka.JsonPointers;
import dev.herald.schemas.kafka.Topics;
import dev.herald.schemas.kafka.Violation;
import dev.herald.template.catalog.TemplateRepository.State;
import dev.herald.template.catalog.TemplateRepository.TemplateVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Template versions: drafts that may change, published versions that never do, and the one active version
 * enrich-stream delivers. Every change of the active version puts the whole active template, in the same
 * transaction, in the outbox of the {@code templates} topic; deleting a template puts a tombstone there.
 */
@Service
public class TemplateService {

    private final TemplateRepository templates;
    private final Outbox outbox;
    private final TransactionalOperator tx;

    TemplateService(TemplateRepository templates, Outbox outbox, TransactionalOperator tx) {
        this.templates = templates;
        this.outbox = outbox;
        this.tx = tx;
    }

    /**
     * Stores {@code request} as the next version of template {@code id}, publishes and activates it.
     *
     * @param preconditions the request's {@code If-Match} and {@code If-None-Match} ({@link Preconditions#NONE}
     *     without either); so for every write
     */
    public Mono<PutResult> put(String id, PutTemplateRequest request, Preconditions preconditions) {
        return Transactions.retrying(
                tx,
                newVersion(id, State.PUBLISHED, request, preconditions)
                        .flatMap(stored ->
                                activate(id, stored.version()).map(active -> new PutResult(active, stored.created()))));
    }

    /** Stores {@code request} as a new draft version of template {@code id}, creating the template if needed. */
    public Mono<TemplateVersion> createDraft(String id, PutTemplateRequest request, Preconditions preconditions) {
        return Transactions.retrying(
                tx,
                newVersion(id, State.DRAFT, request, preconditions)
                        .flatMap(stored -> templates.findVersion(id, stored.version())));
    }

    /**
     * Checks {@code request} and stores it as the next version, creating and locking the template; a template
     * created by a concurrent write is found locked and judged by its revision.
     */
    private Mono<NewVersion> newVersion(
            String id, State state, PutTemplateRequest request, Preconditions preconditions) {
        return Mono.fromRunnable(() -> check(id, request))
                .then(requireLayout(request))
                .then(templates.createAndLock(id))
                .flatMap(before -> changed(id, before.orElse(null), preconditions)
                        .then(templates.nextVersion(id))
                        .flatMap(version -> templates
                                .insertVersion(id, version, state, request)
                                .thenReturn(new NewVersion(version, before.isEmpty()))));
    }

    private record NewVersion(int version, boolean created) {}

    /** Replaces the content of draft {@code version}; a published version is immutable (409). */
    public Mono<TemplateVersion> replaceDraft(
            String id, int version, PutTemplateRequest request, Preconditions preconditions) {
        return Mono.fromRunnable(() -> check(id, request))
                .then(Transactions.retrying(
                        tx,
                        changing(
                                        id,
                                        version,
                                        State.DRAFT,
                                        "is published and cannot change; create a new draft.",
                                        requireLayout(request),
                                        preconditions)
                                .then(templates.replaceDraft(id, version, request))
                                .then(templates.findVersion(id, version))));
    }

    /** Publishes draft {@code version} and makes it the active version. */
    public Mono<TemplateVersion> publish(String id, int version, Preconditions preconditions) {
        return Transactions.retrying(
                tx,
                changing(
                                id,
                                version,
                                State.DRAFT,
                                "is already published; roll back to activate it.",
                                Mono.empty(),
                                preconditions)
                        .then(templates.markPublished(id, version))
                        .then(activate(id, version)));
    }

    /** Makes the earlier published {@code version} the active one again. */
    public Mono<TemplateVersion> rollback(String id, int version, Preconditions preconditions) {
        return Transactions.retrying(
                tx,
                changing(id, version, State.PUBLISHED, "is a draft; publish it instead.", Mono.empty(), preconditions)
                        .then(activate(id, version)));
    }

    /** Deletes the template with every version; a tombstone goes to the {@code templates} topic. */
    public Mono<Void> delete(String id, Preconditions preconditions) {
        return Transactions.retrying(
                tx,
                locked(id)
                        .flatMap(revision -> changed(id, revision, preconditions))
                        .then(templates.delete(id))
                        .then(outbox.append(Topics.TEMPLATES, id, null)));
    }

    /**
     * Before a change of {@code version} of template {@code id}: locks the template (404 when it is missing), runs
     * {@code checks}, finds the version (404) in {@code state} (409, the version {@code otherwise}), and only then
     * checks the preconditions (RFC 9110 answers a request's own failures before its preconditions') and moves the
     * revision on.
     */
    private Mono<Void> changing(
            String id, int version, State state, String otherwise, Mono<Void> checks, Preconditions preconditions) {
        return locked(id)
                .flatMap(revision -> checks.then(existing(id, version))
                        .flatMap(current -> current.state() == state
                                ? changed(id, revision, preconditions)
                                : Mono.error(new ResponseStatusException(
                                        HttpStatus.CONFLICT, "Version " + version + " of '" + id + "' " + otherwise))));
    }

    /** The active version of template {@code id}; 404 when it has none. */
    public Mono<TemplateVersion> get(String id) {
        return templates.findActive(id).switchIfEmpty(Mono.defer(() -> noActiveVersion(id)));
    }

    /** Version {@code version} of template {@code id}, or its active version when {@code version} is null; or 404. */
    public Mono<Template> get(String id, Integer version) {
        return (version == null ? get(id) : existing(id, version)).map(TemplateVersion::toTemplate);
    }

    /** 404, saying whether the template is unknown or has drafts only, which are never delivered. */
    private <T> Mono<T> noActiveVersion(String id) {
        return templates
                .exists(id)
                .flatMap(exists -> Mono.error(
                        exists
                                ? new ResponseStatusException(
                                        HttpStatus.NOT_FOUND,
                                        "Template '" + id
                                                + "' has drafts only, and a draft is never delivered: publish one"
                                                + " (POST /api/v1/templates/" + id + "/versions/{n}/publish).")
                                : notFound(id)));
    }

    /** Version {@code version} of template {@code id}, or 404. */
    public Mono<TemplateVersion> version(String id, int version) {
        return existing(id, version);
    }

    /** Every version of template {@code id}, newest first; 404 when there is no such template. */
    public Mono<List<TemplateVersion>> versions(String id) {
        return templates
                .versions(id)
                .collectList()
                .filter(list -> !list.isEmpty())
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** A page of active templates in id order, after {@code after}, filtered by category and locale. */
    public Mono<List<TemplateVersion>> list(String after, String category, String locale, int limit) {
        return templates.page(after, category, locale, limit).collectList();
    }

    /**
     * Republishes the active version of every template whose active version uses layout {@code name}, with the
     * layout's new source; call in the transaction that changed the layout, after changing it.
     */
    Mono<Integer> republishLayoutUsers(String name) {
        // each one's active template changes with the layout: a new revision
        return templates
                .lockActiveUsersOf(name)
                .concatMap(id -> templates
                        .touch(id)
                        .then(templates.findActive(id))
                        .flatMap(active -> outbox.append(Topics.TEMPLATES, id, active.toTemplate())
                                .thenReturn(id)))
                .count()
                .map(Long::intValue);
    }

    /**
     * Activates {@code version} and puts the whole active template in the outbox, with its layout's current
     * source; the layout stays locked until the transaction ends, so a concurrent layout change waits and then
     * republishes this template.
     */
    private Mono<TemplateVersion> activate(String id, int version) {
        return templates
                .activate(id, version)
                .then(templates.findVersion(id, version))
                .flatMap(active -> active.layout() == null
                        ? Mono.just(active)
                        : templates.shareLayoutHtml(active.layout()).then(templates.findVersion(id, version)))
                .flatMap(active ->
                        outbox.append(Topics.TEMPLATES, id, active.toTemplate()).thenReturn(active));
    }

    /**
     * 400 when the request names a layout that does not exist, or, with a data schema, one that uses a variable the
     * schema does not declare (every delivery's email would fail).
     */
    private Mono<Void> requireLayout(PutTemplateRequest request) {
        if (request.layout() == null) {
            return Mono.empty();
        }
        return templates
                .shareLayoutHtml(request.layout())
                .map(html -> request.dataSchema() == null
                        ? List.<FieldError>of()
                        : DataSchemas.undeclaredInLayout(html, request.dataSchema()).stream()
                                .map(problem -> FieldError.body(
                                        "#/layout",
                                        "layout '" + request.layout()
                                                + "' uses a variable the data schema does not declare: "
                                                + problem.message()))
                                .toList())
                .defaultIfEmpty(List.of(FieldError.body("#/layout", "no layout '" + request.layout() + "'")))
                .flatMap(errors -> errors.isEmpty()
                        ? Mono.<Void>empty()
                        : Mono.error(new InvalidRequestException("The template is not valid.", errors)));
    }

    /**
     * What keeps {@code html} from replacing layout {@code name}: each version using it whose data schema does not
     * declare a variable it uses (every delivery of it would fail the email channel). Call in the transaction that
     * changes the layout, after locking it, so that no version can start using it meanwhile.
     */
    Mono<List<FieldError>> layoutProblems(String name, String html) {
        return templates
                .schemasUsing(name)
                .concatMapIterable(used -> DataSchemas.undeclaredInLayout(html, used.schema()).stream()
                        .map(problem -> FieldError.body(
                                "#/html",
                                new TemplateCheck.Problem(
                                                "",
                                                problem.path(),
                                                problem.line(),
                                                "uses a variable the data schema of version " + used.version()
                                                        + " of template '" + used.templateId() + "' does not declare: "
                                                        + problem.message())
                                        .detail()))
                        .toList())
                .collectList();
    }

    /** Locks template {@code id}; emits its revision, or 404 when it does not exist. */
    private Mono<Long> locked(String id) {
        return templates.lock(id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /**
     * Checks the preconditions against the locked template's {@code revision} and gives it the next: whatever the
     * write changes next is a new revision, or fails and is rolled back.
     */
    private Mono<Void> changed(String id, Long revision, Preconditions preconditions) {
        return Mono.fromRunnable(() -> preconditions.check(revision)).then(templates.touch(id));
    }

    private Mono<TemplateVersion> existing(String id, int version) {
        return templates
                .findVersion(id, version)
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "Template '" + id + "' has no version " + version + ".")));
    }

    static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No template '" + id + "'.");
    }

    /**
     * Rules bean validation cannot express: the {@code templates} topic's schema, and every part compiling as
     * Mustache, with its locale, part and line.
     */
    private static void check(String id, PutTemplateRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (!request.locales().containsKey(request.defaultLocale())) {
            errors.add(FieldError.body("#/defaultLocale", "must be one of the locales"));
        }
        // a tag ignores case (RFC 5646): of pt-BR and pt-br, one could never be chosen
        Map<String, String> byLowerCase = new HashMap<>();
        request.locales().keySet().stream().sorted().forEach(tag -> {
            String first = byLowerCase.putIfAbsent(tag.toLowerCase(Locale.ROOT), tag);
            if (first != null) {
                errors.add(FieldError.body(
                        "#/locales/" + JsonPointers.segment(tag),
                        "is the locale '" + first + "' again: language tags ignore case"));
            }
        });
        Template candidate = new Template(
                id,
                1,
                request.name(),
                request.category(),
                request.critical(),
                request.defaultLocale(),
                request.locales(),
                Instant.now());
        Topics.TEMPLATES.violations(candidate).stream().map(FieldError::of).forEach(errors::add);
        List<TemplateCheck.Problem> problems = new ArrayList<>(TemplateCheck.problems(request.locales()));
        if (request.dataSchema() != null) {
            List<Violation> invalid = DataSchemas.invalidSchema(request.dataSchema());
            invalid.forEach(v -> errors.add(FieldError.body(
                    "#/dataSchema" + v.pointer().substring(1), "is not a valid JSON Schema: " + v.message())));
            if (invalid.isEmpty() && problems.isEmpty()) {
                problems.addAll(DataSchemas.undeclared(request.locales(), request.dataSchema()));
            }
        }
        problems.stream()
                .map(problem -> FieldError.body(problem.pointer(), problem.detail()))
                .forEach(errors::add);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The template is not valid.", errors);
        }
    }

    /**
     * Outcome of a put.
     *
     * @param template the new active version
     * @param created whether the template is new
     */
    public record PutResult(TemplateVersion template, boolean created) {}
}
