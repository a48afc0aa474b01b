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

    /**
     * {@code name} as one reference token of a JSON Pointer in URI fragment form (RFC 6901, sections 4 and 6):
     * {@code ~} and {@code /} escaped as {@code ~0} and {@code ~1}, then what a fragment cannot hold
     * percent-encoded as UTF-8 ({@code "a b"} is {@code a%20b}).
     */
    public static String segment(String name) {
        String token = name.replace("~", "~0").replace("/", "~1");
        StringBuilder fragment = new StringBuilder(token.length());
        for (byte b : token.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
                fragment.append((char) c);
            } else {
                fragment.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return fragment.toString();
    }

    /** The error for a JSON Schema violation of the body. */
    public static FieldError of(Violation violation) {
        return body(violation.pointer(), violation.message());
    }
}
