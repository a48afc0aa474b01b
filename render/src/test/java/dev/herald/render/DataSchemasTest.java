package dev.herald.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.Template;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSchemasTest {

    private static final Map<String, Object> SCHEMA = Map.of(
            "type", "object",
            "required", List.of("name"),
            "properties",
                    Map.of(
                            "name", Map.of("type", "string"),
                            "vip", Map.of("type", "boolean"),
                            "order",
                                    Map.of(
                                            "type",
                                            "object",
                                            "properties",
                                            Map.of(
                                                    "number", Map.of("type", "string"),
                                                    "items",
                                                            Map.of(
                                                                    "type",
                                                                    "array",
                                                                    "items",
                                                                    Map.of(
                                                                            "type",
                                                                            "object",
                                                                            "properties",
                                                                            Map.of(
                                                                                    "title",
                                                                                    Map.of("type", "string"))))))));

    @Test
    void aTemplateUsingOnlyDeclaredVariablesPasses() {
        Template.Content content = new Template.Content(
                new Template.EmailContent(
                        "Order {{order.number}}",
                        "{{#vip}}<b>VIP</b>{{/vip}}<ul>{{#order.items}}<li>{{title}} for {{name}}</li>{{/order.items}}</ul>",
                        null),
                null);
        assertThat(DataSchemas.undeclared(Map.of("en", content), SCHEMA)).isEmpty();
    }

    @Test
    void anUndeclaredVariableIsNamedWithItsPartAndLine() {
        Template.Content content = new Template.Content(
                new Template.EmailContent("Hi {{name}}", "<p>\n{{#order.items}}{{price}}{{/order.items}}</p>", null),
                new Template.PushContent("{{nickname}}", "b", null, null));

        List<TemplateCheck.Problem> problems = DataSchemas.undeclared(Map.of("en", content), SCHEMA);

        assertThat(problems)
                .extracting(TemplateCheck.Problem::pointer)
                .containsExactlyInAnyOrder("#/locales/en/email/html", "#/locales/en/push/title");
        assertThat(problems)
                .filteredOn(p -> p.path().equals("email/html"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(2);
                    assertThat(p.message()).contains("price");
                });
    }

    @Test
    void aLayoutIsCheckedAgainstTheSchemaWithTheBodyAsItsContent() {
        assertThat(DataSchemas.undeclaredInLayout("<html>{{{content}}}<p>{{name}}{{#vip}}!{{/vip}}</p></html>", SCHEMA))
                .isEmpty();
        assertThat(DataSchemas.undeclaredInLayout("<html>{{{content}}}\n<p>{{company}}</p></html>", SCHEMA))
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("html");
                    assertThat(problem.line()).isEqualTo(2);
                    assertThat(problem.message()).contains("company");
                });
        // a schema that declares no properties has nothing to check against
        assertThat(DataSchemas.undeclaredInLayout("<html>{{{content}}}{{company}}</html>", Map.of("type", "object")))
                .isEmpty();
    }

    @Test
    void dataIsCheckedAgainstTheSchemaAndAnInvalidSchemaIsReported() {
        assertThat(DataSchemas.violations(SCHEMA, Map.of("name", "Ana", "order", Map.of("number", "A-1"))))
                .isEmpty();
        assertThat(DataSchemas.violations(SCHEMA, Map.of("order", Map.of("number", 7))))
                .extracting(v -> v.path())
                .contains("$", "$.order.number");
        assertThat(DataSchemas.violations(null, Map.of("anything", 1))).isEmpty();
        assertThat(DataSchemas.invalidSchema(Map.of("type", "object", "required", "name")))
                .isNotEmpty();
        assertThat(DataSchemas.invalidSchema(SCHEMA)).isEmpty();
    }

    @Test
    void aReferenceThatResolvesToNothingIsRefusedOnSaveAndRejectsAtDeliveryWithoutThrowing() {
        Map<String, Object> dangling =
                Map.of("type", "object", "properties", Map.of("a", Map.of("$ref", "#/$defs/Missing")));
        Map<String, Object> elsewhere =
                Map.of("type", "object", "properties", Map.of("a", Map.of("$ref", "file:///etc/hostname")));
        Map<String, Object> local = Map.of(
                "type", "object",
                "$defs", Map.of("B", Map.of("type", "integer")),
                "properties", Map.of("a", Map.of("$ref", "#/$defs/B")));

        assertThat(DataSchemas.invalidSchema(dangling))
                .singleElement()
                .satisfies(v -> assertThat(v.message())
                        .isEqualTo("has a reference that cannot be resolved: Reference /$defs/Missing cannot be"
                                + " resolved"));
        assertThat(DataSchemas.invalidSchema(elsewhere)).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("#/properties/a/$ref");
            assertThat(v.message())
                    .isEqualTo("may refer only to a part of this schema, such as #/$defs/name (not"
                            + " file:///etc/hostname)");
        });
        // the validator would load this one from Herald's own classpath
        assertThat(DataSchemas.invalidSchema(Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("a", Map.of("$ref", "classpath:herald/schemas/user-profile.schema.json")))))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).startsWith("may refer only to a part of this schema"));
        assertThat(DataSchemas.invalidSchema(local)).isEmpty();
        assertThat(DataSchemas.violations(local, Map.of("a", "text")))
                .extracting(v -> v.path())
                .containsExactly("$.a");

        // a template stored before such schemas were refused, or written to the topic directly
        Template stored = new Template(
                "t", 1, "n", null, false, "en", Map.of(), Instant.parse("2026-11-21T10:00:00Z"), null, dangling);
        assertThat(DataSchemas.problem(stored, Map.of("a", 1)))
                .isEqualTo("the template's data schema cannot be used: it has a reference that cannot be resolved:"
                        + " Reference /$defs/Missing cannot be resolved");
    }

    @Test
    void aVariableUsedOnlyWhereAValueIsFalseEmptyOrLeftOutIsCheckedToo() {
        Template.Content content = new Template.Content(
                new Template.EmailContent(
                        "s", "{{^vip}}{{nope}}{{/vip}}{{^order.items}}{{none}}{{/order.items}}", null),
                null);

        assertThat(DataSchemas.undeclared(Map.of("en", content), SCHEMA))
                .extracting(TemplateCheck.Problem::message)
                .singleElement()
                .satisfies(message -> assertThat(message).contains("nope"));
    }

    @Test
    void aDeclaredVariableTheDataLeavesOutRendersEmptyAndAReferenceIsFollowed() {
        Map<String, Object> schema = Map.of(
                "type", "object",
                "$defs",
                        Map.of(
                                "person",
                                Map.of("type", "object", "properties", Map.of("first", Map.of("type", "string")))),
                "properties",
                        Map.of(
                                "name", Map.of("type", "string"),
                                "vip", Map.of("type", "boolean"),
                                "buyer", Map.of("$ref", "#/$defs/person")));
        Template.Content content = new Template.Content(
                new Template.EmailContent("Hi {{name}}{{#vip}} (VIP){{/vip}}", null, "{{buyer.first}}"), null);
        Template template = new Template(
                "t",
                1,
                "n",
                null,
                false,
                "en",
                Map.of("en", content),
                Instant.parse("2026-11-21T10:00:00Z"),
                null,
                schema);

        // {{buyer.first}} is declared through the reference (it was called undeclared)
        assertThat(DataSchemas.undeclared(template.locales(), schema)).isEmpty();
        Map<String, Object> data = DataSchemas.forRendering(template, Map.of("buyer", Map.of()));
        assertThat(data).containsEntry("name", null).containsEntry("vip", null);
        // each failed as a missing variable
        Renderer.Email email = Renderer.email(content.email(), data);
        assertThat(email.subject()).isEqualTo("Hi ");
        assertThat(email.text()).isEmpty();
        // without a data schema nothing declares them: a missing variable is still an error
        assertThat(DataSchemas.forRendering(
                        new Template("t", 1, "n", null, false, "en", Map.of(), Instant.EPOCH), Map.of("a", 1)))
                .isEqualTo(Map.of("a", 1));
    }

    @Test
    void aSchemaForSomethingOtherThanAnObjectIsRefused() {
        assertThat(DataSchemas.invalidSchema(Map.of("type", "string")))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.pointer()).isEqualTo("#/type");
                    assertThat(v.message()).isEqualTo("must allow \"object\": the notification's data is an object");
                });
        assertThat(DataSchemas.invalidSchema(Map.of("type", List.of("object", "null"))))
                .isEmpty();
    }

    @Test
    void aSchemaThatRefersToItselfMakesASmallSampleAndARootReferenceIsFollowed() {
        // each node refers to itself twice: expanded to a depth of 32 it was 2^33 maps, and template-api ran out of
        // memory on one request of a few hundred bytes
        Map<String, Object> twice = Map.of(
                "type", "object",
                "properties", Map.of("r", Map.of("$ref", "#/$defs/n")),
                "$defs",
                        Map.of(
                                "n",
                                Map.of(
                                        "type",
                                        "object",
                                        "properties",
                                        Map.of(
                                                "a", Map.of("$ref", "#/$defs/n"),
                                                "b", Map.of("$ref", "#/$defs/n"),
                                                "name", Map.of("type", "string")))));
        Template.Content uses =
                new Template.Content(new Template.EmailContent("{{r.name}} {{r.a.name}}", null, "t"), null);
        Template.Content typo = new Template.Content(new Template.EmailContent("{{r.nmae}}", null, "t"), null);
        assertThat(DataSchemas.undeclared(Map.of("en", uses), twice)).isEmpty();
        assertThat(DataSchemas.undeclared(Map.of("en", typo), twice)).hasSize(1);

        // a schema that is a reference at its root is checked (it was not), its type too
        Map<String, Object> atRoot = Map.of(
                "$ref",
                "#/$defs/d",
                "$defs",
                Map.of("d", Map.of("type", "object", "properties", Map.of("number", Map.of("type", "string")))));
        Template.Content misspelt = new Template.Content(new Template.EmailContent("Order {{numbr}}", null, "t"), null);
        assertThat(DataSchemas.undeclared(Map.of("en", misspelt), atRoot)).hasSize(1);
        assertThat(DataSchemas.invalidSchema(
                        Map.of("$ref", "#/$defs/s", "$defs", Map.of("s", Map.of("type", "string")))))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).startsWith("must allow \"object\""));
    }

    @Test
    void aVariableUnderAnOptionalObjectIsCheckedWhereOnlyFalseValuesReachIt() {
        Template.Content content =
                new Template.Content(new Template.EmailContent("s", "{{^vip}}{{order.numbr}}{{/vip}}", null), null);

        assertThat(DataSchemas.undeclared(Map.of("en", content), SCHEMA))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("numbr"));
    }
}
