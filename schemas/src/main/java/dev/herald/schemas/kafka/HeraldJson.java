package dev.herald.schemas.kafka;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapping every Herald serde shares: absent rather than null fields, ISO-8601 instants. */
public final class HeraldJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            // the JSON Schema rejects unknown properties; internal types stay lenient across versions
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // a member named twice would be read as its last value, perhaps not the one another reader takes
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HeraldJson() {}

    /** The shared, thread-safe mapper. */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
