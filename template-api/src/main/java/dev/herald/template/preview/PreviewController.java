package dev.herald.template.preview;

import dev.herald.platform.validation.LanguageTag;
import dev.herald.platform.web.ProblemAnswer;
import dev.herald.render.DataSchemas;
import dev.herald.render.LocaleResolver;
import dev.herald.render.RenderException;
import dev.herald.render.Renderer;
import dev.herald.schemas.Channel;
import dev.herald.schemas.Template;
import dev.herald.template.catalog.TemplateService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Renders a template version for given data the way delivery does: the same locale fallback ({@link
 * LocaleResolver}) and the same renderer ({@link Renderer}) that enrich-stream uses, so what the preview shows
 * is what a recipient receives.
 */
@RestController
@Tag(name = "Templates")
class PreviewController {

    private final TemplateService templates;

    PreviewController(TemplateService templates) {
        this.templates = templates;
    }

    @PostMapping("/api/v1/templates/{id}/preview")
    @PreAuthorize("hasAuthority('SCOPE_templates:read')")
    @Operation(
            summary = "Render a template version for given data and locale",
            description = "Each channel the template has content for on the locale fallback chain is rendered as"
                    + " a recipient would receive it; a channel that cannot be rendered with this data is listed"
                    + " in errors, as delivery would fail it.")
    @ProblemAnswer(status = 404, when = "No such template or version")
    Mono<Preview> preview(@PathVariable String id, @Valid @RequestBody PreviewRequest request) {
        return templates.get(id, request.version()).map(template -> render(template, request));
    }

    static Preview render(Template template, PreviewRequest request) {
        List<ChannelError> errors = new ArrayList<>();
        String invalidData = DataSchemas.problem(template, request.data());
        if (invalidData != null) {
            // delivery rejects the whole notification: no channel is rendered
            errors.add(new ChannelError(null, null, invalidData));
            return new Preview(template.id(), template.version(), null, null, errors);
        }
        Map<String, Object> data = DataSchemas.forRendering(template, request.data());
        Optional<String> emailLocale =
                LocaleResolver.resolve(template, Channel.EMAIL, request.locale(), request.recipientLocale());
        Optional<String> pushLocale =
                LocaleResolver.resolve(template, Channel.PUSH, request.locale(), request.recipientLocale());
        EmailPreview email = null;
        if (emailLocale.isPresent()) {
            try {
                Renderer.Email rendered =
                        Renderer.email(template.locales().get(emailLocale.get()).email(), template.layout(), data);
                email = new EmailPreview(emailLocale.get(), rendered.subject(), rendered.html(), rendered.text());
            } catch (RenderException e) {
                errors.add(new ChannelError(Channel.EMAIL, emailLocale.get(), e.getMessage()));
            }
        }
        PushPreview push = null;
        if (pushLocale.isPresent()) {
            try {
                Renderer.Push rendered =
                        Renderer.push(template.locales().get(pushLocale.get()).push(), data);
                push = new PushPreview(
                        pushLocale.get(), rendered.title(), rendered.body(), rendered.data(), rendered.imageUrl());
            } catch (RenderException e) {
                errors.add(new ChannelError(Channel.PUSH, pushLocale.get(), e.getMessage()));
            }
        }
        return new Preview(template.id(), template.version(), email, push, errors);
    }

    /**
     * Body of a preview.
     *
     * @param version the version to render; the active one when absent
     * @param locale the locale a notification request would name, or absent
     * @param recipientLocale the recipient's locale, or absent
     * @param data the notification's data
     */
    record PreviewRequest(
            @Min(1) Integer version,
            @LanguageTag String locale,
            @LanguageTag String recipientLocale,
            Map<String, Object> data) {

        PreviewRequest {
            data = data == null ? Map.of() : data;
        }
    }

    /**
     * What a recipient would receive.
     *
     * @param templateId the template
     * @param version the version rendered
     * @param email the email, when the template has email content on the locale chain and it renders
     * @param push the push notification, likewise
     * @param errors channels that would fail at delivery, and why
     */
    record Preview(String templateId, int version, EmailPreview email, PushPreview push, List<ChannelError> errors) {}

    record EmailPreview(String locale, String subject, String html, String text) {}

    record PushPreview(String locale, String title, String body, Map<String, String> data, String imageUrl) {}

    /**
     * Why a channel, or with no channel the whole notification, would fail at delivery.
     *
     * @param channel the channel, or absent when the whole notification would be rejected
     * @param locale the locale it would be rendered in, or absent
     * @param detail the reason delivery would record
     */
    record ChannelError(Channel channel, String locale, String detail) {}
}
