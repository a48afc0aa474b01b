package dev.herald.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The preconditions of a write to a resource that has a revision, a number that grows with each of its changes
 * (RFC 9110, section 13.1), evaluated in the order section 13.2.2 gives: {@code If-Match}, then {@code
 * If-None-Match}. Each is {@code *} or a list of entity tags, {@code "6"} for revision 6 ({@link #etag}). {@code
 * If-Match} compares strongly: a weak tag ({@code W/"6"}) matches nothing, and neither does a tag that is not a
 * revision. {@code If-None-Match} compares weakly: {@code If-None-Match: *} writes only a resource that does not
 * exist yet (a create that never overwrites), and a list writes only when the current revision is not in it. A
 * failed precondition is 412, never a write.
 *
 * @param subject what the resource is called in the 412's detail ("user", "template")
 * @param ifMatch the {@code If-Match} header's tags, or {@code null} without one
 * @param ifNoneMatch the {@code If-None-Match} header's tags, or {@code null} without one
 */
public record Preconditions(String subject, EntityTags ifMatch, EntityTags ifNoneMatch) {

    /** No precondition: what a write without either header states, and every check passes. */
    public static final Preconditions NONE = new Preconditions("resource", null, null);

    /** The entity tag of {@code revision}, as {@code ETag} sends it. */
    public static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    /**
     * {@code *} or a list of entity tags.
     *
     * @param any {@code *}
     * @param tags the entity tags listed, as sent
     */
    public record EntityTags(boolean any, List<String> tags) {

        /** Whether the tag of {@code revision} is listed, weak tags compared as strong ones when {@code weakly}. */
        boolean names(long revision, boolean weakly) {
            String etag = etag(revision);
            return any || tags.stream().anyMatch(tag -> tag.equals(etag) || (weakly && tag.equals("W/" + etag)));
        }
    }

    /** One entity tag: an optional weakness prefix, then a quoted value of visible characters (commas included). */
    private static final Pattern TAG = Pattern.compile("(W/)?\"([\\x21\\x23-\\x7e\\x80-\\xff]*)\"");

    /**
     * The preconditions the two headers state on a {@code subject}, {@link #NONE} when neither is sent. A header
     * with no tag (empty, or only commas) names none; 400 when one is not a list of tags.
     */
    public static Preconditions parse(String subject, String ifMatch, String ifNoneMatch) {
        if (ifMatch == null && ifNoneMatch == null) {
            return NONE;
        }
        return new Preconditions(subject, tags(ifMatch, "If-Match"), tags(ifNoneMatch, "If-None-Match"));
    }

    private static EntityTags tags(String header, String name) {
        if (header == null) {
            return null;
        }
        if (header.strip().equals("*")) {
            return new EntityTags(true, List.of());
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
                return new EntityTags(false, List.copyOf(tags));
            }
            if (!tag.find(at) || tag.start() != at) {
                throw notAList(name);
            }
            tags.add((tag.group(1) == null ? "" : "W/") + "\"" + tag.group(2) + "\"");
            at = tag.end();
            while (at < header.length() && " \t".indexOf(header.charAt(at)) >= 0) {
                at++;
            }
            if (at < header.length() && header.charAt(at) != ',') {
                throw notAList(name);
            }
        }
    }

    private static ResponseStatusException notAList(String name) {
        return new ResponseStatusException(
                HttpStatus.BAD_REQUEST,
                name + " must be * or a list of entity tags, such as \"6\", as ETag sends them.");
    }

    /** 412 unless the subject at {@code revision} ({@code null}: it does not exist) meets the preconditions. */
    public void check(Long revision) {
        if (ifMatch != null && (revision == null || !ifMatch.names(revision, false))) {
            throw failed(
                    revision == null
                            ? "The " + subject + " does not exist."
                            : ifMatch.tags().isEmpty()
                                    ? "If-Match names no entity tag, so no revision matches it."
                                    : "The " + subject + " is at revision " + revision + " (ETag " + etag(revision)
                                            + "), which If-Match does not name"
                                            + (ifMatch.tags().stream().anyMatch(t -> t.startsWith("W/"))
                                                    ? " (a weak tag, W/, never matches)."
                                                    : "."));
        }
        if (ifNoneMatch != null && revision != null && ifNoneMatch.names(revision, true)) {
            throw failed(
                    ifNoneMatch.any()
                            ? "The " + subject + " exists (revision " + revision
                                    + "), and If-None-Match: * writes only a new one."
                            : "The " + subject + " is at revision " + revision + " (ETag " + etag(revision)
                                    + "), which If-None-Match names.");
        }
    }

    /**
     * 412 when {@code If-None-Match: *} is stated: the subject, absent when read, was created by another write before
     * this one stored it.
     */
    public void createdMeanwhile() {
        if (ifNoneMatch != null && ifNoneMatch.any()) {
            throw failed("The " + subject + " was created meanwhile, and If-None-Match: * writes only a new one.");
        }
    }

    private static ResponseStatusException failed(String reason) {
        return new ResponseStatusException(HttpStatus.PRECONDITION_FAILED, reason);
    }
}
