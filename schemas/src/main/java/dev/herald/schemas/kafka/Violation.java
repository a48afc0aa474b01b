package dev.herald.schemas.kafka;

/**
 * One way a document breaks its JSON Schema.
 *
 * @param path JSONPath of the offending member, e.g. {@code $.devices[0].token}
 * @param message what is wrong with it
 */
public record Violation(String path, String message) {

    /** The path as an RFC 6901 JSON Pointer fragment, e.g. {@code #/devices/0/token}. */
    public String pointer() {
        return "#" + path.substring(1).replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
