package dev.herald.schemas.kafka;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One way a document breaks its JSON Schema.
 *
 * @param location where in the document: member names and array indexes, outermost first; empty for the whole
 * @param message what is wrong with it
 */
public record Violation(List<Object> location, String message) {

    /** A member name JSONPath's dot notation can carry as it is. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    public Violation {
        location = List.copyOf(location);
    }

    /** The location as JSONPath, e.g. {@code $.devices[0].token}, or {@code $.categories['billing.invoices']}. */
    public String path() {
        StringBuilder path = new StringBuilder("$");
        for (Object element : location) {
            if (element instanceof Number index) {
                path.append('[').append(index).append(']');
            } else if (PLAIN_NAME.matcher(element.toString()).matches()) {
                path.append('.').append(element);
            } else {
                path.append("['")
                        .append(element.toString().replace("\\", "\\\\").replace("'", "\\'"))
                        .append("']");
            }
        }
        return path.toString();
    }

    /** The location as an RFC 6901 JSON Pointer fragment, e.g. {@code #/devices/0/token}. */
    public String pointer() {
        StringBuilder pointer = new StringBuilder("#");
        location.forEach(element -> pointer.append('/').append(JsonPointers.segment(element.toString())));
        return pointer.toString();
    }

    @Override
    public String toString() {
        return path() + ": " + message;
    }
}
