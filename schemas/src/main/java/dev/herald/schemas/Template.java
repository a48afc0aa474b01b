package dev.herald.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * The active version of a template with every locale: the value of the compacted {@code templates}
 * topic, keyed by {@code id}. Schema: {@code herald/schemas/template.schema.json}.
 *
 * @param id template slug
 * @param version active version number
 * @param name human-readable name
 * @param category preference category, or {@code null}
 * @param critical security or account mail that bypasses opt-outs and quiet hours
 * @param defaultLocale the locale used when no better match exists; present in {@code locales}
 * @param locales content per BCP 47 locale tag
 * @param publishedAt when this version was published
 * @param layout the email layout that wraps every locale's HTML body, or {@code null}
 * @param dataSchema JSON Schema the notification data must match, or {@code null}
 */
public record Template(
        String id,
        int version,
        String name,
        String category,
        boolean critical,
        String defaultLocale,
        Map<String, Content> locales,
        Instant publishedAt,
        Layout layout,
        Map<String, Object> dataSchema) {

    public Template {
        locales = locales == null ? Map.of() : Map.copyOf(locales);
    }

    /** A template without layout or data schema. */
    public Template(
            String id,
            int version,
            String name,
            String category,
            boolean critical,
            String defaultLocale,
            Map<String, Content> locales,
            Instant publishedAt) {
        this(id, version, name, category, critical, defaultLocale, locales, publishedAt, null, null);
    }

    /**
     * A named Mustache source that wraps the HTML body of an email: the body, already rendered, is its {@code
     * content} variable ({@code {{{content}}}}); the notification's data is there too.
     *
     * @param name layout name
     * @param html Mustache source of the whole HTML document
     */
    public record Layout(String name, String html) {}

    /**
     * The content of one locale; a channel without content is absent.
     *
     * @param email email parts, or {@code null}
     * @param push push parts, or {@code null}
     */
    public record Content(EmailContent email, PushContent push) {

        /** Whether this content can be sent on {@code channel}. */
        public boolean has(Channel channel) {
            return switch (channel) {
                case EMAIL -> email != null;
                case PUSH -> push != null;
            };
        }
    }

    /**
     * Mustache sources of an email.
     *
     * @param subject subject line
     * @param html HTML body, or {@code null}
     * @param text plain-text body, or {@code null}
     */
    public record EmailContent(String subject, String html, String text) {}

    /**
     * Mustache sources of a push notification.
     *
     * @param title title
     * @param body body
     * @param data key-value pairs delivered to the app, or {@code null}
     * @param imageUrl image shown with the notification, or {@code null}
     */
    public record PushContent(String title, String body, Map<String, String> data, String imageUrl) {}
}
