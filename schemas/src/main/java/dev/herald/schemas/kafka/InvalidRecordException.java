package dev.herald.schemas.kafka;

import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that is not valid JSON or does not match its topic's JSON Schema. Consumers route such records
 * to a dead-letter topic, with {@link #getMessage()} as the reason.
 */
public class InvalidRecordException extends SerializationException {

    private final String schema;
    private final List<String> violations;

    public InvalidRecordException(String schema, List<String> violations, Throwable cause) {
        super(schema + " rejected the record: " + String.join("; ", violations), cause);
        this.schema = schema;
        this.violations = List.copyOf(violations);
    }

    /** File name of the schema the record was checked against. */
    public String schema() {
        return schema;
    }

    /** One line per problem, each starting with the JSON path it concerns. */
    public List<String> violations() {
        return violations;
    }
}
