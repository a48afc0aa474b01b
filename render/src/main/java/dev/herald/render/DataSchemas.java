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
        List<Violation> elsewhere = new ArrayList<>();
        nonLocalReferences(schema, new ArrayList<>(), elsewhere);
        if (!elsewhere.isEmpty()) {
            return elsewhere;
        }
        String unusable = JsonSchema.unusable(tree);
        if (unusable != null) {
            return List.of(new Violation(List.of(), unusable));
        }
        Map<?, ?> top = resolved(schema, schema);
        Object type = top == null ? null : top.get("type");
        boolean object =
                type == null || "object".equals(type) || (type instanceof List<?> types && types.contains("object"));
        return object
                ? List.of()
                : List.of(
                        new Violation(List.of("type"), "must allow \"object\": the notification's data is an object"));
    }

    /** Adds a violation for each reference in {@code node} (at {@code location}) to anything but a part of it. */
    private static void nonLocalReferences(Object node, List<Object> location, List<Violation> violations) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                List<Object> at = new ArrayList<>(location);
                at.add(String.valueOf(name));
                if (REFERENCES.contains(String.valueOf(name))
                        && value instanceof String ref
                        && !ref.equals("#")
                        && !ref.startsWith("#/")) {
                    violations.add(new Violation(
                            at, "may refer only to a part of this schema, such as #/$defs/name (not " + ref + ")"));
                } else {
                    nonLocalReferences(value, at, violations);
                }
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> at = new ArrayList<>(location);
                at.add(i);
                nonLocalReferences(list.get(i), at, violations);
            }
        }
    }

    private static final java.util.Set<String> REFERENCES = java.util.Set.of("$ref", "$dynamicRef", "$recursiveRef");

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
        Map<?, ?> node = resolved(root, schema);
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
    private static Map<?, ?> resolved(Map<?, ?> root, Object schema) {
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
        List<Object> samples = samples(schema);
        if (samples.isEmpty()) {
            return problems;
        }
        locales.forEach((locale, content) -> TemplateCheck.parts(content, (path, source) -> {
            String problem = undeclaredIn(path, source, samples);
            if (problem != null) {
                problems.add(new TemplateCheck.Problem(
                        locale,
                        path,
                        TemplateCheck.line(problem),
                        "uses a variable the data schema does not declare: " + problem));
            }
        }));
        return problems;
    }

    /**
     * Where email layout {@code html} uses a variable {@code schema} does not declare, as {@link #undeclared} finds
     * it in a template's parts (the layout renders with the data and the rendered body as {@code content}): the
     * problem, reported with an empty locale, the path {@code html} and Mustache's message, or none.
     */
    public static List<TemplateCheck.Problem> undeclaredInLayout(String html, Map<String, Object> schema) {
        List<Object> samples = samples(schema).stream()
                .map(sample -> {
                    Map<Object, Object> withContent =
                            sample instanceof Map<?, ?> map ? new java.util.HashMap<>(map) : new java.util.HashMap<>();
                    withContent.put(Renderer.LAYOUT_CONTENT, "x");
                    return (Object) withContent;
                })
                .toList();
        String problem = samples.isEmpty() ? null : undeclaredIn("email/html", html, samples);
        return problem == null
                ? List.of()
                : List.of(new TemplateCheck.Problem("", "html", TemplateCheck.line(problem), problem));
    }

    /**
     * Sample data of {@code schema}'s shape: every property there and truthy; then optional ones left out, lists
     * empty, booleans false; then every property there but lists empty and booleans false, to reach what is under
     * an optional object there. None when the schema declares no properties to check against.
     */
    private static List<Object> samples(Map<String, Object> schema) {
        Map<?, ?> top = schema == null ? null : resolved(schema, schema);
        if (top == null || !(top.get("properties") instanceof Map)) {
            return List.of();
        }
        return List.of(
                new Sampler(schema, true, true).sample(schema),
                new Sampler(schema, false, false).sample(schema),
                new Sampler(schema, true, false).sample(schema));
    }

    /**
     * Why (Mustache's message) {@code source} fails with one of {@code samples}, as a variable missing at delivery
     * would, or null.
     */
    private static String undeclaredIn(String part, String source, List<Object> samples) {
        try {
            com.samskivert.mustache.Template compiled = Renderer.compile(part, source);
            for (Object sample : samples) {
                compiled.execute(sample);
            }
            return null;
        } catch (MustacheException e) {
            return e.getMessage();
        }
    }

    /** How many values one sample holds at most: a schema may refer to itself, twice over. */
    private static final int MAX_SAMPLE_VALUES = 10_000;

    /** How many times one path through a sample expands a schema that refers to itself. */
    private static final int MAX_RECURSION = 4;

    /** A value every name resolves in, itself: what a sample holds past the depth the check follows. */
    private static final Map<String, Object> ANYTHING = new java.util.AbstractMap<>() {
        @Override
        public Object get(Object key) {
            return this;
        }

        @Override
        public boolean containsKey(Object key) {
            return true;
        }

        @Override
        public java.util.Set<Entry<String, Object>> entrySet() {
            return java.util.Set.of();
        }

        @Override
        public String toString() {
            return "x";
        }
    };

    /**
     * A value of every declared property of a schema, as data of that shape would have. A schema that refers to
     * itself is expanded {@value #MAX_RECURSION} times on one path at most, and the whole sample holds at most
     * {@value #MAX_SAMPLE_VALUES} values, so a small schema cannot make a huge sample; past either, any name is
     * taken as declared.
     */
    static final class Sampler {
        private final Map<?, ?> root;
        private final boolean optional;
        private final boolean truthy;
        /** How many times each schema node is being expanded on the current path. */
        private final Map<Object, Integer> expanding = new java.util.IdentityHashMap<>();

        private int values;

        /**
         * @param optional whether properties not required are there ({@code null} otherwise)
         * @param truthy lists of one item and {@code true}, else lists empty and {@code false}
         */
        Sampler(Map<?, ?> root, boolean optional, boolean truthy) {
            this.root = root;
            this.optional = optional;
            this.truthy = truthy;
        }

        Object sample(Object schema) {
            Map<?, ?> node = resolved(root, schema);
            if (node == null) {
                return "x";
            }
            int depth = expanding.getOrDefault(node, 0);
            if (++values > MAX_SAMPLE_VALUES || depth >= MAX_RECURSION) {
                // deeper than the check looks: whatever a template names there is taken as declared
                return ANYTHING;
            }
            expanding.put(node, depth + 1);
            try {
                return value(node);
            } finally {
                if (depth == 0) {
                    expanding.remove(node);
                } else {
                    expanding.put(node, depth);
                }
            }
        }

        private Object value(Map<?, ?> node) {
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
                        String.valueOf(name), optional || required.contains(name) ? sample(property) : null));
                return object;
            }
            if ("array".equals(type) || node.containsKey("items")) {
                return truthy ? List.of(sample(node.get("items"))) : List.of();
            }
            if ("object".equals(type)) {
                return Map.of();
            }
            if ("boolean".equals(type)) {
                return truthy;
            }
            if ("integer".equals(type) || "number".equals(type)) {
                return 1;
            }
            return "x";
        }
    }
}
