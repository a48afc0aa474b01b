package dev.herald.schemas.kafka;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.i18n.ResourceBundleMessageSource;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** One of Herald's JSON Schemas (draft 2020-12, formats asserted), loaded from {@code herald/schemas/}. */
public final class JsonSchema {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    // Herald's words where the library's say a thing twice; English whatever the host's locale
                    .messageSource(new ResourceBundleMessageSource("herald/schemas/messages", "jsv-messages"))
                    .locale(Locale.ENGLISH)
                    .build()));

    private final String file;
    private final Schema schema;

    private JsonSchema(String file, Schema schema) {
        this.file = file;
        this.schema = schema;
    }

    /** Loads {@code herald/schemas/<file>} from the classpath. */
    public static JsonSchema load(String file) {
        String resource = "herald/schemas/" + file;
        try (InputStream in = JsonSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema at classpath:" + resource);
            }
            return new JsonSchema(file, REGISTRY.getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A schema supplied at run time (a template's data schema), named {@code name} in messages. Check it with
     * {@link #metaViolations(JsonNode)} first: a schema that breaks the meta-schema may not compile.
     */
    public static JsonSchema of(String name, JsonNode schema) {
        Schema compiled = REGISTRY.getSchema(schema);
        try {
            // resolves every $ref now: one that resolves to nothing would otherwise throw while checking data
            compiled.initializeValidators();
        } catch (SchemaException e) {
            throw new UnusableSchemaException(name, unusable(e), e);
        }
        return new JsonSchema(name, compiled);
    }

    /**
     * Why {@code schema}, valid against the meta-schema, cannot be used (a {@code $ref} that resolves to nothing:
     * Herald loads no schema from elsewhere, a file or a URL), or {@code null} when it can.
     */
    public static String unusable(JsonNode schema) {
        try {
            REGISTRY.getSchema(schema).initializeValidators();
            return null;
        } catch (SchemaException e) {
            return unusable(e);
        }
    }

    private static String unusable(SchemaException e) {
        if (e.getCause() instanceof java.io.FileNotFoundException missing) {
            return "refers to " + missing.getMessage()
                    + ", which is not loaded: a schema may refer only to its own parts, such as #/$defs/name";
        }
        return "has a reference that cannot be resolved: " + e.getMessage();
    }

    /** A schema supplied at run time that cannot be used: {@link #unusable(JsonNode)}. */
    public static final class UnusableSchemaException extends IllegalArgumentException {
        private final String reason;

        UnusableSchemaException(String name, String reason, Throwable cause) {
            super(name + " " + reason, cause);
            this.reason = reason;
        }

        /** What is wrong with the schema, as {@link #unusable(JsonNode)} says it. */
        public String reason() {
            return reason;
        }
    }

    /** How {@code schema} breaks the JSON Schema 2020-12 meta-schema; empty when it is a valid schema. */
    public static List<Violation> metaViolations(JsonNode schema) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        return meta.validate(schema).stream()
                .map(error -> new Violation(location(error.getInstanceLocation()), error.getMessage()))
                .toList();
    }

    /** The schema's file name, e.g. {@code user-profile.schema.json}. */
    public String file() {
        return file;
    }

    /** The members the schema requires at the top level, in the order it lists them. */
    public List<String> required() {
        return schema.getSchemaNode()
                .path("required")
                .valueStream()
                .map(JsonNode::asString)
                .toList();
    }

    /** How {@code document} breaks the schema; empty when it is valid. */
    public List<Violation> violations(JsonNode document) {
        return schema.validate(document).stream()
                .map(error -> new Violation(location(error.getInstanceLocation()), error.getMessage()))
                .toList();
    }

    /** The member names and indexes of {@code location}, outermost first. */
    private static List<Object> location(NodePath location) {
        List<Object> elements = new java.util.ArrayList<>(location.getNameCount());
        for (int i = 0; i < location.getNameCount(); i++) {
            elements.add(location.getElement(i));
        }
        return elements;
    }
}
