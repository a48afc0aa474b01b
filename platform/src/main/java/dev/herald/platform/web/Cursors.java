package dev.herald.platform.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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

    /**
     * The key {@code cursor} continues after, or {@code null} for none (also for {@code cursor=}); 400 when it is not one of ours: not
     * base64url, not UTF-8 (most strings a client makes up), or holding a control character (the NUL character
     * among them, which PostgreSQL would refuse).
     */
    public static String key(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String key;
        try {
            key = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw notOurs();
        }
        // every key is text a client could send: one that is not (a control character) came from no page of ours
        if (key.isEmpty() || key.chars().anyMatch(Character::isISOControl)) {
            throw notOurs();
        }
        return key;
    }

    private static ResponseStatusException notOurs() {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, "The cursor is not one this API issued.");
    }
}
