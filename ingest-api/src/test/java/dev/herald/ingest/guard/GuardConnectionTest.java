package dev.herald.ingest.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which Redis servers evict keys when full, from their {@code CONFIG GET maxmemory*} as Spring reports it. */
class GuardConnectionTest {

    @Test
    void aServerEvictsWithAMemoryLimitAndAnyPolicyButNoeviction() {
        assertThat(GuardConnection.evictingServers(
                        config(Map.of("maxmemory", "1048576", "maxmemory-policy", "allkeys-lfu"))))
                .hasValue(List.of("maxmemory 1048576 bytes, maxmemory-policy allkeys-lfu"));
        assertThat(GuardConnection.evictingServers(config(Map.of("maxmemory", "0", "maxmemory-policy", "allkeys-lfu"))))
                .hasValue(List.of());
        assertThat(GuardConnection.evictingServers(
                        config(Map.of("maxmemory", "1048576", "maxmemory-policy", "noeviction"))))
                .hasValue(List.of());
    }

    @Test
    void aClustersNodesAreEachJudgedOnTheirOwnSettings() {
        assertThat(GuardConnection.evictingServers(config(Map.of(
                        "10.0.0.1:6379.maxmemory", "1048576",
                        "10.0.0.1:6379.maxmemory-policy", "noeviction",
                        "10.0.0.2:6379.maxmemory", "1048576",
                        "10.0.0.2:6379.maxmemory-policy", "volatile-lru",
                        "10.0.0.3:6379.maxmemory", "0",
                        "10.0.0.3:6379.maxmemory-policy", "volatile-lru"))))
                .hasValue(List.of("10.0.0.2:6379: maxmemory 1048576 bytes, maxmemory-policy volatile-lru"));
    }

    @Test
    void settingsWithoutAPolicyTellNothing() {
        assertThat(GuardConnection.evictingServers(config(Map.of("maxmemory", "1048576"))))
                .isEmpty();
        assertThat(GuardConnection.evictingServers(null)).isEmpty();
    }

    private static Properties config(Map<String, String> settings) {
        Properties properties = new Properties();
        properties.putAll(settings);
        return properties;
    }
}
