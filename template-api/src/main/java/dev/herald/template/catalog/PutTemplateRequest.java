package dev.herald.template.catalog;

import dev.herald.platform.validation.LanguageTag;
import dev.herald.schemas.Slugs;
import dev.herald.schemas.Template;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Body of {@code PUT /api/v1/templates/{id}}: the content of a new version, which becomes the active one.
 *
 * @param name human-readable name
 * @param category preference category (a slug), or absent
 * @param critical security or account mail that bypasses opt-outs and quiet hours; {@code false} when absent
 * @param defaultLocale locale used when the recipient's is not available; must be one of {@code locales}
 * @param locales Mustache sources per BCP 47 locale tag and channel
 * @param layout name of the email layout that wraps every locale's HTML body, or absent
 * @param dataSchema JSON Schema (2020-12) of the notification data; when it declares {@code properties}, the
 *     template may use only declared variables, and delivery rejects data that does not match it
 */
public record PutTemplateRequest(
        @NotBlank @Size(max = 200) String name,

        @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String category,

        Boolean critical,
        @NotBlank @LanguageTag String defaultLocale,
        @NotEmpty @Size(max = 100) Map<@LanguageTag String, Template.@NotNull Content> locales,

        @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String layout,

        Map<String, Object> dataSchema) {

    public PutTemplateRequest {
        critical = Boolean.TRUE.equals(critical);
    }
}
