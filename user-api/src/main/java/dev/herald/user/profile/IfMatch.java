package dev.herald.user.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * An {@code If-Match} header (RFC 9110, section 13.1.1): {@code *} for any current revision, or a list of entity tags
 * compared strongly with the user's, {@code "6"} for revision 6. A weak tag ({@code W/"6"}) matches nothing, as the
 * strong comparison says, and so does a tag that is not a revision: each gets 412, never a write.
 *
 * @param any {@code *}: the user must exist
 * @param tags the entity tags listed, as sent
 */
record IfMatch(boolean any, List<String> tags) {

    /** One entity tag: an optional weakness prefix, then a quoted value of visible characters (commas included). */
    private static final Pattern TAG = Pattern.compile("(W/)?\"([\\x21\\x23-\\x7e\\x80-\\xff]*)\"");

    /**
     * The precondition {@code header} states, or {@code null} without one. A header with no tag (empty, or only
     * commas) names none, so it matches nothing; 400 when it is not a list of tags.
     */
    static IfMatch parse(String header) {
        if (header == null) {
            return null;
        }
        if (header.strip().equals("*")) {
            return new IfMatch(true, List.of());
        }
        List<String> tags = new ArrayList<>();
        Matcher tag = TAG.matcher(header);
        int at = 0;
        while (true) {
            // a list may hold empty elements and optional whitespace (RFC 9110, section 5.6.1)
            while (at < header.length() && " \t,".indexOf(header.charAt(at)) >= 0) {
                at++;
            }
            if (at == header.length()) {
                return new IfMatch(false, List.copyOf(tags));
            }
            if (!tag.find(at) || tag.start() != at) {
                throw notAList();
            }
            tags.add((tag.group(1) == null ? "" : "W/") + "\"" + tag.group(2) + "\"");
            at = tag.end();
            while (at < header.length() && " \t".indexOf(header.charAt(at)) >= 0) {
                at++;
            }
            if (at < header.length() && header.charAt(at) != ',') {
                throw notAList();
            }
        }
    }

    private static ResponseStatusException notAList() {
        return new ResponseStatusException(
                HttpStatus.BAD_REQUEST,
                "If-Match must be * or a list of entity tags, such as \"6\", as ETag sends them.");
    }

    /** Whether a user at {@code revision} ({@code null}: no such user) meets the precondition. */
    boolean matches(Long revision) {
        if (revision == null) {
            return false;
        }
        return any || tags.contains(UserController.etag(revision));
    }

    /** 412 unless a user at {@code revision} meets the precondition. */
    void check(Long revision) {
        if (!matches(revision)) {
            throw new ResponseStatusException(
                    HttpStatus.PRECONDITION_FAILED,
                    revision == null
                            ? "The user does not exist."
                            : tags.isEmpty()
                                    ? "If-Match names no entity tag, so no revision matches it."
                                    : "The user is at revision " + revision + " (ETag " + UserController.etag(revision)
                                            + "), which If-Match does not name"
                                            + (tags.stream().anyMatch(t -> t.startsWith("W/"))
                                                    ? " (a weak tag, W/, never matches)."
                                                    : "."));
        }
    }
}
