package dev.herald.schemas.kafka;

import java.nio.charset.StandardCharsets;

/** JSON Pointers (RFC 6901) in URI fragment form, as problem details and violations name members. */
public final class JsonPointers {

    private JsonPointers() {}

    /**
     * {@code name} as one reference token of a pointer in fragment form (sections 4 and 6): {@code ~} and {@code /}
     * escaped as {@code ~0} and {@code ~1}, then what a fragment cannot hold percent-encoded as UTF-8 ({@code "a b"}
     * is {@code a%20b}).
     */
    public static String segment(String name) {
        String token = name.replace("~", "~0").replace("/", "~1");
        StringBuilder fragment = new StringBuilder(token.length());
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
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
}
