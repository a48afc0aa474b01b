package dev.herald.render;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import dev.herald.schemas.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What can be known about a template's Mustache sources before anything is rendered: whether every part
 * compiles, and if not, where it breaks. Uses the compilers of {@link Renderer}, so a part that passes here
 * compiles at delivery.
 */
public final class TemplateCheck {

    private static final Pattern LINE = Pattern.compile("(?:@|on) line (\\d+)");

    private TemplateCheck() {}

    /**
     * A part that does not compile.
     *
     * @param locale the locale tag
     * @param path the part within the locale, e.g. {@code email/subject} or {@code push/data/url}
     * @param line line of the part where it breaks, or 0 when not known
     * @param message what is wrong
     */
    public record Problem(String locale, String path, int line, String message) {

        /** The problem as a field error's detail says it: {@code line 2: …}, without a line when it has none. */
        public String detail() {
            return (line > 0 ? "line " + line + ": " : "") + message;
        }

        /** JSON Pointer fragment of the part in a template body: {@code #/locales/pt-BR/email/subject}. */
        public String pointer() {
            return "#/locales/" + escape(locale) + "/" + path;
        }

        private static String escape(String token) {
            return token.replace("~", "~0").replace("/", "~1");
        }
    }

    /** Every problem of every part of {@code locales}, in locale and part order. */
    public static List<Problem> problems(Map<String, Template.Content> locales) {
        List<Problem> problems = new ArrayList<>();
        locales.forEach((locale, content) -> parts(content, (path, source) -> {
            compile(locale, path, source, problems);
            if (path.equals("email/subject") && (source.indexOf('\r') >= 0 || source.indexOf('\n') >= 0)) {
                problems.add(new Problem(locale, path, 0, "must be one line: a subject cannot contain a line break"));
            }
        }));
        return problems;
    }

    /**
     * The problems of an email layout's HTML source (reported with an empty locale and the path {@code html}):
     * it must compile, and place the body with {@code {{{content}}}}.
     */
    public static List<Problem> layout(String html) {
        List<Problem> problems = new ArrayList<>();
        compile("", "html", html, problems);
        if (!LAYOUT_CONTENT.matcher(html).find()) {
            problems.add(new Problem("", "html", 0, "must place the body with {{{content}}}"));
        }
        return problems;
    }

    private static final Pattern LAYOUT_CONTENT = Pattern.compile(
            "\\{\\{\\{\\s*" + Renderer.LAYOUT_CONTENT + "\\s*}}}|\\{\\{&\\s*" + Renderer.LAYOUT_CONTENT + "\\s*}}");

    private static void compile(String locale, String path, String source, List<Problem> problems) {
        try {
            Renderer.compile(path, source).visit(new StrayTags(locale, path, source, problems));
        } catch (MustacheException e) {
            problems.add(new Problem(locale, path, line(e.getMessage()), e.getMessage()));
        }
    }

    /** Calls {@code part} with the path and source of each Mustache part present in {@code content}. */
    static void parts(Template.Content content, BiConsumer<String, String> part) {
        if (content == null) {
            return;
        }
        Template.EmailContent email = content.email();
        if (email != null) {
            accept(part, "email/subject", email.subject());
            accept(part, "email/html", email.html());
            accept(part, "email/text", email.text());
        }
        Template.PushContent push = content.push();
        if (push != null) {
            accept(part, "push/title", push.title());
            accept(part, "push/body", push.body());
            if (push.data() != null) {
                push.data().forEach((key, value) -> accept(part, "push/data/" + key, value));
            }
            accept(part, "push/imageUrl", push.imageUrl());
        }
    }

    private static void accept(BiConsumer<String, String> part, String path, String source) {
        if (source != null) {
            part.accept(path, source);
        }
    }

    static int line(String message) {
        Matcher matcher = message == null ? null : LINE.matcher(message);
        return matcher != null && matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    /** The line, from 1, of {@code source} that holds the character at {@code offset}. */
    private static int lineAt(String source, int offset) {
        return (int) source.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Text that still holds {@code {{} after compiling: jmustache leaves an unclosed tag as literal text. */
    private record StrayTags(String locale, String path, String source, List<Problem> problems)
            implements Mustache.Visitor {

        @Override
        public void visitText(String text) {
            int at = text.indexOf("{{");
            if (at >= 0) {
                int offset = source.indexOf(text);
                int line = offset < 0 ? 0 : lineAt(source, offset + at);
                problems.add(new Problem(locale, path, line, "has a tag that is never closed ('{{' without '}}')"));
            }
        }

        @Override
        public void visitVariable(String name) {}

        /** A partial would be loaded at delivery, and there is nothing to load it from: it could never render. */
        @Override
        public boolean visitInclude(String name) {
            Matcher tag = Pattern.compile("\\{\\{>\\s*" + Pattern.quote(name)).matcher(source);
            problems.add(new Problem(
                    locale,
                    path,
                    tag.find() ? lineAt(source, tag.start()) : 0,
                    "includes the partial '" + name + "' ({{> " + name
                            + "}}), which Herald does not support: wrap emails in a layout instead"));
            return false;
        }

        @Override
        public boolean visitSection(String name) {
            return true;
        }

        @Override
        public boolean visitInvertedSection(String name) {
            return true;
        }
    }
}
