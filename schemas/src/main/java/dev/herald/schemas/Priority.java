package dev.herald.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Delivery lane of a notification; each lane has its own topics and consumers. */
public enum Priority {
    @JsonProperty("high")
    HIGH,
    @JsonProperty("normal")
    NORMAL,
    @JsonProperty("low")
    LOW;

    /** The name used on the wire and in topic names, e.g. {@code high}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
