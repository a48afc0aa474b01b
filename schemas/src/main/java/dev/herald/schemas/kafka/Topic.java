package dev.herald.schemas.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the catalogue: its name, how its keys and values are (de)serialised and how the broker keeps
 * its records.
 *
 * @param name topic name
 * @param keySerde serde of record keys
 * @param valueSerde serde of record values
 * @param configs topic-level configuration used when the topic is created
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

    public Topic {
        configs = Map.copyOf(configs);
    }

    /**
     * How {@code value} breaks the topic's JSON Schema; empty when it is valid or the topic has no schema.
     * Lets a service refuse, with a clear error, a value its topic's readers would refuse.
     */
    public List<Violation> violations(V value) {
        return valueSerde instanceof JsonSchemaSerde<V> json ? json.violations(value) : List.of();
    }

    static Map<String, String> deleteAfter(Duration retention) {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(retention.toMillis()));
    }

    static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }
}
