package dev.herald.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A way of reaching a recipient. */
public enum Channel {
    @JsonProperty("email")
    EMAIL,
    @JsonProperty("push")
    PUSH;

    /** The name used on the wire and in topic names, e.g. {@code email}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
