package dev.herald.render;

import com.samskivert.mustache.MustacheException;
import dev.herald.schemas.Template;
import dev.herald.schemas.kafka.HeraldJson;
import dev.herald.schemas.kafka.JsonSchema;
import dev.herald.schemas.kafka.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A template's optional JSON Schema for the notification's data: whether it is a schema at all, whether the
 * template uses only variables it declares, and whether given data matches it. Delivery and preview check data
 * with the same function.
 */
public final class DataSchemas {

    private DataSchemas() {}

    /**
     * How {@code schema} breaks the JSON Schema meta-schema, or why it cannot be used (a {@code $ref} that resolves
     * to nothing); empty when it is a schema data can be checked against.
     */
    public static List<Violation> invalidSchema(Map<String, Object> schema) {
        JsonNode tree = HeraldJson.mapper().valueToTree(schema);
        List<Violation> violations = JsonSchema.metaViolations(tree);
        if (!violations.isEmpty()) {
            return violations;
        }
        String unusable = JsonSchema.unusable(tree);
        return unusable == null ? List.of() : List.of(new Violation(List.of(), unusable));
    }

    /** Compiled data schemas of the templates in use, most recently used kept. */
    private static final Map<Map<String, Object>, JsonSchema> COMPILED =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Map<String, Object>, JsonSchema> eldest) {
                    return size() > 256;
                }
            });

    /** How {@code data} breaks {@code schema}; empty when it matches or there is no schema. */
    public static List<Violation> violations(Map<String, Object> schema, Map<String, Object> data) {
        if (schema == null) {
            return List.of();
        }
        JsonNode document = HeraldJson.mapper().valueToTree(data == null ? Map.of() : data);
        return COMPILED.computeIfAbsent(
                        schema,
                        s -> JsonSchema.of("data schema", HeraldJson.mapper().valueToTree(s)))
                .violations(document);
    }

    /**
     * Why a notification with {@code data} cannot use {@code template} (its data does not match the template's
     * data schema), or {@code null} when it can. Delivery rejects such a notification; preview reports it.
     */
    public static String problem(Template template, Map<String, Object> data) {
        List<Violation> violations;
        try {
            violations = violations(template.dataSchema(), data);
        } catch (JsonSchema.UnusableSchemaException e) {
            // stored before template-api refused such schemas, or written to the topic directly
            return "the template's data schema cannot be used: it " + e.reason();
        }
        return violations.isEmpty()
                ? null
                : "the data does not match the template's data schema: "
                        + String.join(
                                "; ",
                                violations.stream().map(Violation::toString).toList());
    }

    /**
     * Parts of {@code locales} that use a variable {@code schema} does not declare. Each part is rendered with
     * sample data holding every declared property (one item per array, {@code true} for booleans), so a
     * variable outside the declared properties fails as a missing one would at delivery. Variables inside
     * inverted sections over declared lists are not reached. A schema without {@code properties} declares
     * nothing to check against, and nothing is reported.
     */
    public static List<TemplateCheck.Problem> undeclared(
            Map<String, Template.Content> locales, Map<String, Object> schema) {
        List<TemplateCheck.Problem> problems = new ArrayList<>();
        if (schema == null || !(schema.get("properties") instanceof Map)) {
            return problems;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> sample = (Map<String, Object>) sample(schema);
        locales.forEach((locale, content) -> TemplateCheck.parts(content, (path, source) -> {
            try {
                Renderer.compile(path, source).execute(sample);
            } catch (MustacheException e) {
                problems.add(new TemplateCheck.Problem(
                        locale,
                        path,
                        TemplateCheck.line(e.getMessage()),
                        "uses a variable the data schema does not declare: " + e.getMessage()));
            }
        }));
        return problems;
    }

    /** A value of every declared property of {@code schema}, as data of that shape would have. */
    static Object sample(Object schema) {
        if (!(schema instanceof Map<?, ?> node)) {
            return "x";
        }
        Object type = node.get("type");
        if (type instanceof List<?> types) {
            type = types.stream()
                    .map(String::valueOf)
                    .filter(t -> !"null".equals(t))
                    .findFirst()
                    .orElse("null");
        }
        if (node.get("properties") instanceof Map<?, ?> properties) {
            Map<String, Object> object = new LinkedHashMap<>();
            properties.forEach((name, property) -> object.put(String.valueOf(name), sample(property)));
            return object;
        }
        if ("array".equals(type) || node.containsKey("items")) {
            return List.of(sample(node.get("items")));
        }
        if ("object".equals(type)) {
            return Map.of();
        }
        if ("boolean".equals(type)) {
            return true;
        }
        if ("integer".equals(type) || "number".equals(type)) {
            return 1;
        }
        return "x";
    }
}
