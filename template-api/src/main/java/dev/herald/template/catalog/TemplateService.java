package dev.herald.template.catalog;

import dev.herald.platform.outbox.Outbox;
import dev.herald.platform.web.FieldError;
import dev.herald.platform.web.InvalidRequestException;
import dev.herald.render.TemplateCheck;
import dev.herald.schemas.Template;
import dev.herald.schemas.kafka.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Stores template versions and, in the same transaction, the new active content in the outbox for the
 * {@code templates} topic.
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

    /** Stores {@code request} as the next version of template {@code id} and activates it. */
    public Mono<PutResult> put(String id, PutTemplateRequest request) {
        return Mono.fromRunnable(() -> check(id, request))
                .then(tx.transactional(templates
                        .activateNextVersion(id)
                        .flatMap(next -> templates
                                .insertVersion(id, next.version(), request)
                                .then(templates.findActive(id))
                                .flatMap(active -> outbox.append(Topics.TEMPLATES, id, active)
                                        .thenReturn(new PutResult(active, next.created()))))));
    }

    /** The active version of template {@code id}, or empty. */
    public Mono<Template> get(String id) {
        return templates.findActive(id);
    }

    /** Version {@code version} of template {@code id}, or its active version when {@code version} is null. */
    public Mono<Template> get(String id, Integer version) {
        return version == null ? templates.findActive(id) : templates.findVersion(id, version);
    }

    /** Rules bean validation cannot express, and the {@code templates} topic's schema as the final word. */
    private static void check(String id, PutTemplateRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (!request.locales().containsKey(request.defaultLocale())) {
            errors.add(FieldError.body("#/defaultLocale", "must be one of the locales"));
        }
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
        TemplateCheck.problems(request.locales()).stream()
                .map(problem -> FieldError.body(
                        problem.pointer(),
                        (problem.line() > 0 ? "line " + problem.line() + ": " : "") + problem.message()))
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
    public record PutResult(Template template, boolean created) {}
}
