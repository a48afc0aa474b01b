package dev.herald.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Opaque cursors of keyset pagination: the last key of a page, which the next page starts after. */
public final class Cursors {

    private Cursors() {}

    /** The cursor that continues after {@code key}. */
    public static String after(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key {@code cursor} continues after, or {@code null} for none; 400 when it is not one of ours. */
    public static String key(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The cursor is not one this API issued.");
        }
    }
}
