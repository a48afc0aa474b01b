package dev.herald.render;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import dev.herald.schemas.Template;
import java.util.Map;

/**
 * Renders template parts with Mustache. HTML parts escape variables; text, subject and push parts do not.
 * A variable the data does not have is an error, not an empty string, so a recipient never gets "Hello ,"; one
 * the data has as {@code null} renders empty (with a data schema, {@link DataSchemas#forRendering} gives every
 * declared property left out that value).
 * A subject that renders a line break is an error too: it would inject mail headers.
 */
public final class Renderer {

    // a variable whose value is null renders empty (and a section over it is skipped); a missing one is an error
    private static final Mustache.Compiler HTML =
            Mustache.compiler().escapeHTML(true).nullValue("");
    private static final Mustache.Compiler PLAIN =
            Mustache.compiler().escapeHTML(false).nullValue("");

    /** The rendered parts of an email. */
    public record Email(String subject, String html, String text) {}

    /** The rendered parts of a push notification. */
    public record Push(String title, String body, Map<String, String> data, String imageUrl) {}

    private Renderer() {}

    /** Renders {@code content} with {@code data}. */
    public static Email email(Template.EmailContent content, Map<String, Object> data) {
        return email(content, null, data);
    }

    /**
     * Renders {@code content} with {@code data}; the HTML body, when there is one, is then placed in {@code
     * layout} (when not {@code null}) as its {@code content} variable, and the layout rendered with the data too.
     */
    public static Email email(Template.EmailContent content, Template.Layout layout, Map<String, Object> data) {
        String subject = render(PLAIN, "email subject", content.subject(), data);
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw new RenderException("email subject: renders a line break", null);
        }
        String html = render(HTML, "email html", content.html(), data);
        if (html != null && layout != null) {
            Map<String, Object> withContent = new java.util.HashMap<>(data);
            withContent.put(LAYOUT_CONTENT, html);
            html = render(HTML, "layout " + layout.name(), layout.html(), withContent);
        }
        return new Email(subject, html, render(PLAIN, "email text", content.text(), data));
    }

    /** The variable of a layout that holds the rendered HTML body. */
    public static final String LAYOUT_CONTENT = "content";

    /** Renders {@code content} with {@code data}; values of the data map are rendered too. */
    public static Push push(Template.PushContent content, Map<String, Object> data) {
        Map<String, String> pushData = new java.util.LinkedHashMap<>();
        if (content.data() != null) {
            content.data().forEach((key, value) -> pushData.put(key, render(PLAIN, "push data " + key, value, data)));
        }
        return new Push(
                render(PLAIN, "push title", content.title(), data),
                render(PLAIN, "push body", content.body(), data),
                pushData,
                render(PLAIN, "push image url", content.imageUrl(), data));
    }

    /** Compiles {@code source} as {@link #email} and {@link #push} do; the failure names {@code part}. */
    static com.samskivert.mustache.Template compile(String part, String source) {
        return (part.equals("email/html") ? HTML : PLAIN).compile(source);
    }

    private static String render(Mustache.Compiler compiler, String part, String source, Map<String, Object> data) {
        if (source == null) {
            return null;
        }
        try {
            return compiler.compile(source).execute(data);
        } catch (MustacheException e) {
            throw new RenderException(part + ": " + e.getMessage(), e);
        }
    }
}
