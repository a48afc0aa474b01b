package dev.herald.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schemas.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendererTest {

    private static final Map<String, Object> DATA = Map.of(
            "name",
            "Ana <script>",
            "order",
            Map.of("number", "A-17", "items", List.of(Map.of("title", "Book"), Map.of("title", "Pen"))));

    @Test
    void htmlEscapesVariablesAndTextDoesNot() {
        Renderer.Email email =
                Renderer.email(new Template.EmailContent("Hi {{name}}", "<p>Hi {{name}}</p>", "Hi {{name}}"), DATA);

        assertThat(email.html()).isEqualTo("<p>Hi Ana &lt;script&gt;</p>");
        assertThat(email.text()).isEqualTo("Hi Ana <script>");
        assertThat(email.subject()).isEqualTo("Hi Ana <script>");
    }

    @Test
    void nestedDataAndListsRender() {
        Renderer.Email email = Renderer.email(
                new Template.EmailContent(
                        "Order {{order.number}}", null, "{{#order.items}}- {{title}}\n{{/order.items}}"),
                DATA);

        assertThat(email.subject()).isEqualTo("Order A-17");
        assertThat(email.text()).isEqualTo("- Book\n- Pen\n");
        assertThat(email.html()).isNull();
    }

    @Test
    void aMissingVariableIsAnErrorNamingThePart() {
        assertThatThrownBy(() -> Renderer.email(new Template.EmailContent("Hi {{nickname}}", null, "x"), DATA))
                .isInstanceOf(RenderException.class)
                .hasMessageStartingWith("email subject:")
                .hasMessageContaining("nickname");
    }

    @Test
    void aSubjectThatRendersALineBreakIsRefused() {
        Map<String, Object> injection = Map.of("name", "Ana\r\nBcc: everyone@example.com");

        assertThatThrownBy(() -> Renderer.email(new Template.EmailContent("Hi {{name}}", null, "x"), injection))
                .isInstanceOf(RenderException.class)
                .hasMessage("email subject: renders a line break");
    }

    @Test
    void pushPartsAndDataValuesRenderUnescaped() {
        Renderer.Push push = Renderer.push(
                new Template.PushContent(
                        "Hi {{name}}", "Order {{order.number}}", Map.of("order", "{{order.number}}"), null),
                DATA);

        assertThat(push.title()).isEqualTo("Hi Ana <script>");
        assertThat(push.body()).isEqualTo("Order A-17");
        assertThat(push.data()).containsExactly(Map.entry("order", "A-17"));
    }

    @Test
    void aLayoutWrapsTheRenderedHtmlBodyAndSeesTheDataToo() {
        Template.Layout layout = new Template.Layout(
                "brand", "<html><body><h1>Shop</h1>{{{content}}}<footer>For {{name}}</footer></body></html>");

        Renderer.Email email =
                Renderer.email(new Template.EmailContent("Hi", "<p>Hi {{name}}</p>", "Hi {{name}}"), layout, DATA);

        assertThat(email.html())
                .isEqualTo("<html><body><h1>Shop</h1><p>Hi Ana &lt;script&gt;</p>"
                        + "<footer>For Ana &lt;script&gt;</footer></body></html>");
        assertThat(email.text()).isEqualTo("Hi Ana <script>");
    }

    @Test
    void aLayoutDoesNotApplyToATextOnlyEmail() {
        Template.Layout layout = new Template.Layout("brand", "<div>{{{content}}}</div>");
        Renderer.Email email = Renderer.email(new Template.EmailContent("Hi", null, "plain"), layout, DATA);
        assertThat(email.html()).isNull();
        assertThat(email.text()).isEqualTo("plain");
    }
}
