package dev.herald.platform.web;

import dev.herald.schemas.kafka.Violation;

/**
 * One invalid part of a request, as listed in the {@code errors} member of a problem: a member of the body
 * ({@code pointer}) or a path or query parameter ({@code parameter}).
 *
 * @param pointer JSON Pointer (RFC 6901) fragment to a body member, e.g. {@code #/devices/0/token}
 * @param parameter name of a path or query parameter
 * @param detail what is wrong with it
 */
public record FieldError(String pointer, String parameter, String detail) {

    /** An error in the body member at {@code pointer}. */
    public static FieldError body(String pointer, String detail) {
        return new FieldError(pointer, null, detail);
    }

    /** An error in the path or query parameter {@code name}. */
    public static FieldError parameter(String name, String detail) {
        return new FieldError(null, name, detail);
    }

    /** The error for a JSON Schema violation of the body. */
    public static FieldError of(Violation violation) {
        return body(violation.pointer(), violation.message());
    }
}
