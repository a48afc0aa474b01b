package dev.herald.schemas.kafka;

import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Serde for a record type mirrored by a JSON Schema. It writes plain JSON; it reads plain JSON and the
 * Confluent Schema Registry wire format (magic byte {@code 0}, a 4-byte schema id, then JSON), validates
 * against the schema and throws {@link InvalidRecordException} for anything that does not match. A {@code
 * null} payload is a tombstone in both directions.
 */
public final class JsonSchemaSerde<T> implements Serde<T> {

    /** Magic byte that opens a record in the Confluent wire format; a JSON document never starts with it. */
    static final byte CONFLUENT_MAGIC_BYTE = 0;

    private static final int CONFLUENT_HEADER_LENGTH = 5;

    /** Reads a member named twice as its last value: one reason a document is refused, not a reason to forget it. */
    private static final ObjectReader LENIENT =
            HeraldJson.mapper().reader().without(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final Class<T> type;
    private final JsonSchema schema;

    public JsonSchemaSerde(Class<T> type, JsonSchema schema) {
        this.type = type;
        this.schema = schema;
    }

    /** The schema records are checked against. */
    public JsonSchema schema() {
        return schema;
    }

    /** How the document {@code value} serialises to breaks the schema; empty when it is valid. */
    public List<Violation> violations(T value) {
        return schema.violations(HeraldJson.mapper().valueToTree(value));
    }

    /** Serialises {@code value} as plain JSON; {@code null} stays {@code null}. */
    public byte[] serialize(T value) {
        return value == null ? null : HeraldJson.mapper().writeValueAsBytes(value);
    }

    /**
     * Parses and validates {@code payload}; {@code null} stays {@code null}.
     *
     * @throws InvalidRecordException when the payload is not JSON, does not match the schema or does not map
     *     onto the record type
     */
    public T deserialize(byte[] payload) {
        if (payload == null) {
            return null;
        }
        JsonNode document = parse(payload);
        List<Violation> violations = schema.violations(document);
        if (!violations.isEmpty()) {
            throw new InvalidRecordException(
                    schema.file(), violations.stream().map(Violation::toString).toList(), null);
        }
        try {
            return HeraldJson.mapper().treeToValue(document, type);
        } catch (JacksonException e) {
            throw new InvalidRecordException(schema.file(), List.of("$: " + e.getOriginalMessage()), e);
        }
    }

    private JsonNode parse(byte[] payload) {
        int offset = documentOffset(payload);
        if (offset < 0) {
            throw new InvalidRecordException(
                    schema.file(), List.of("$: Confluent wire format header without a document"), null);
        }
        try {
            return HeraldJson.mapper().readTree(payload, offset, payload.length - offset);
        } catch (JacksonException e) {
            throw new InvalidRecordException(schema.file(), List.of("$: not JSON: " + e.getOriginalMessage()), e);
        }
    }

    /**
     * The JSON document in {@code payload}, in either wire format, without checking any schema; {@code null}
     * when there is none. For naming what an invalid record was about, so a member named twice is read as its last
     * value here.
     */
    public static JsonNode readTreeOrNull(byte[] payload) {
        int offset = payload == null ? -1 : documentOffset(payload);
        if (offset < 0) {
            return null;
        }
        try {
            return LENIENT.readTree(payload, offset, payload.length - offset);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Where the JSON starts: after the Confluent header when there is one; -1 for a header alone. */
    private static int documentOffset(byte[] payload) {
        if (payload.length > 0 && payload[0] == CONFLUENT_MAGIC_BYTE) {
            return payload.length > CONFLUENT_HEADER_LENGTH ? CONFLUENT_HEADER_LENGTH : -1;
        }
        return 0;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> serialize(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, payload) -> deserialize(payload);
    }
}
