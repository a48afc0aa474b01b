package dev.herald.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateCheckTest {

    @Test
    void aWellFormedTemplateHasNoProblems() {
        Template.Content content = new Template.Content(
                new Template.EmailContent(
                        "Hi {{name}}", "<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>", "{{^items}}none{{/items}}"),
                new Template.PushContent("t", "{{body}}", Map.of("url", "https://x/{{id}}"), null));
        assertThat(TemplateCheck.problems(Map.of("en", content))).isEmpty();
    }

    @Test
    void eachBrokenPartIsNamedWithItsLocaleAndLine() {
        Template.Content content = new Template.Content(
                new Template.EmailContent("Hi {{name", "<p>\nline two {{#items}}\n</p>", "ok"),
                new Template.PushContent("t", "b", Map.of("url", "{{/nothing}}"), null));

        List<TemplateCheck.Problem> problems = TemplateCheck.problems(Map.of("pt-BR", content));

        assertThat(problems)
                .extracting(TemplateCheck.Problem::pointer)
                .containsExactlyInAnyOrder(
                        "#/locales/pt-BR/email/subject", "#/locales/pt-BR/email/html", "#/locales/pt-BR/push/data/url");
        assertThat(problems)
                .filteredOn(p -> p.path().equals("email/html"))
                .singleElement()
                .satisfies(p -> assertThat(p.line()).isEqualTo(2));
    }

    @Test
    void aSubjectWithALineBreakIsRefusedBeforeAnythingIsRendered() {
        Template.Content content =
                new Template.Content(new Template.EmailContent("Hi\r\nBcc: all@example.com", null, "t"), null);
        assertThat(TemplateCheck.problems(Map.of("en", content)))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("line break"));
    }

    @Test
    void aPartialIsRefusedWhereverItIsForNothingCouldLoadIt() {
        Template.Content content = new Template.Content(
                new Template.EmailContent("Hi", "<p>\n{{#vip}}{{> footer}}{{/vip}}</p>", "ok"), null);

        assertThat(TemplateCheck.problems(Map.of("en", content)))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.pointer()).isEqualTo("#/locales/en/email/html");
                    assertThat(p.line()).isEqualTo(2);
                    assertThat(p.message())
                            .isEqualTo("includes the partial 'footer' ({{> footer}}), which Herald does not support:"
                                    + " wrap emails in a layout instead");
                });
        assertThat(TemplateCheck.layout("<html>{{>foot}}{{{content}}}</html>"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("includes the partial 'foot'"));
    }
}
