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
        if (unusable != null) {
            return List.of(new Violation(List.of(), unusable));
        }
        Object type = schema.get("type");
        boolean object =
                type == null || "object".equals(type) || (type instanceof List<?> types && types.contains("object"));
        return object
                ? List.of()
                : List.of(
                        new Violation(List.of("type"), "must allow \"object\": the notification's data is an object"));
    }

    /**
     * {@code data} as {@code template} is rendered with: with a data schema, every property it declares and
     * {@code data} leaves out is there as {@code null} (in nested objects and list items too), so an optional
     * variable renders empty and a section over it is skipped, where it failed the channel as a missing
     * variable; without one, {@code data} as it is, and a missing variable stays an error.
     */
    public static Map<String, Object> forRendering(Template template, Map<String, Object> data) {
        Map<String, Object> given = data == null ? Map.of() : data;
        if (template.dataSchema() == null) {
            return given;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> filled =
                (Map<String, Object>) withDeclared(template.dataSchema(), template.dataSchema(), given, 0);
        return filled;
    }

    /** {@code value} with the properties {@code schema} declares and it lacks added as {@code null}. */
    private static Object withDeclared(Map<?, ?> root, Object schema, Object value, int depth) {
        Map<?, ?> node = resolved(root, schema, depth);
        if (node == null || depth > MAX_DEPTH) {
            return value;
        }
        if (value instanceof Map<?, ?> object && node.get("properties") instanceof Map<?, ?> properties) {
            Map<String, Object> filled = new LinkedHashMap<>();
            object.forEach((name, member) -> filled.put(String.valueOf(name), member));
            properties.forEach((name, property) -> filled.put(
                    String.valueOf(name), withDeclared(root, property, filled.get(String.valueOf(name)), depth + 1)));
            return filled;
        }
        if (value instanceof List<?> items && node.get("items") != null) {
            return items.stream()
                    .map(item -> withDeclared(root, node.get("items"), item, depth + 1))
                    .toList();
        }
        return value;
    }

    /** How deep declared properties are followed: a {@code $ref} may refer to itself. */
    private static final int MAX_DEPTH = 32;

    /** {@code schema}, or what its {@code $ref} (within {@code root}) refers to; {@code null} when no object. */
    private static Map<?, ?> resolved(Map<?, ?> root, Object schema, int depth) {
        Object node = schema;
        for (int hops = 0;
                node instanceof Map<?, ?> map && map.get("$ref") instanceof String ref && hops < MAX_DEPTH;
                hops++) {
            node = ref.startsWith("#") ? pointer(root, ref.substring(1)) : null;
        }
        return node instanceof Map<?, ?> map ? map : null;
    }

    /** What the JSON pointer {@code at} (RFC 6901, percent-decoded already) designates in {@code root}, or null. */
    private static Object pointer(Map<?, ?> root, String at) {
        Object node = root;
        if (at.isEmpty()) {
            return node;
        }
        for (String token : at.substring(1).split("/", -1)) {
            String name = java.net.URLDecoder.decode(token.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("~1", "/")
                    .replace("~0", "~");
            if (node instanceof Map<?, ?> map) {
                node = map.get(name);
            } else if (node instanceof List<?> list
                    && name.matches("\\d{1,9}")
                    && Integer.parseInt(name) < list.size()) {
                node = list.get(Integer.parseInt(name));
            } else {
                return null;
            }
        }
        return node;
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
        Map<String, Object> present = (Map<String, Object>) sample(schema, schema, true, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> absent = (Map<String, Object>) sample(schema, schema, false, 0);
        locales.forEach((locale, content) -> TemplateCheck.parts(content, (path, source) -> {
            try {
                com.samskivert.mustache.Template compiled = Renderer.compile(path, source);
                compiled.execute(present);
                // what only renders when a value is false, empty or left out: an inverted section's content
                compiled.execute(absent);
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

    /**
     * A value of every declared property of {@code schema}, as data of that shape would have: {@code present},
     * every property there, truthy (a list of one item, {@code true}); else those not required {@code null},
     * lists empty and booleans {@code false}, objects still there with their own properties.
     */
    static Object sample(Map<?, ?> root, Object schema, boolean present, int depth) {
        Map<?, ?> node = resolved(root, schema, depth);
        if (node == null || depth > MAX_DEPTH) {
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
            List<?> required = node.get("required") instanceof List<?> names ? names : List.of();
            Map<String, Object> object = new LinkedHashMap<>();
            properties.forEach((name, property) -> object.put(
                    String.valueOf(name),
                    present || required.contains(name) ? sample(root, property, present, depth + 1) : null));
            return object;
        }
        if ("array".equals(type) || node.containsKey("items")) {
            return present ? List.of(sample(root, node.get("items"), true, depth + 1)) : List.of();
        }
        if ("object".equals(type)) {
            return Map.of();
        }
        if ("boolean".equals(type)) {
            return present;
        }
        if ("integer".equals(type) || "number".equals(type)) {
            return 1;
        }
        return "x";
    }
}
