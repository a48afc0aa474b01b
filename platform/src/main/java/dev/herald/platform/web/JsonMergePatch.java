package dev.herald.platform.web;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch (RFC 7396), the body of {@code PATCH} requests with media type {@code
 * application/merge-patch+json}: members of the patch replace those of the target, {@code null} removes a
 * member, objects merge recursively and anything else (arrays included) is replaced whole.
 */
public final class JsonMergePatch {

    /** The media type of a merge patch. */
    public static final String MEDIA_TYPE = "application/merge-patch+json";

    private JsonMergePatch() {}

    /** {@code target} with {@code patch} applied; neither argument is modified. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
