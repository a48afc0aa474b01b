package dev.herald.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViolationTest {

    @Test
    void jsonPathBecomesAJsonPointerFragment() {
        assertThat(new Violation("$.devices[0].token", "x").pointer()).isEqualTo("#/devices/0/token");
        assertThat(new Violation("$", "x").pointer()).isEqualTo("#");
        assertThat(new Violation("$.channels[12]", "x").pointer()).isEqualTo("#/channels/12");
    }
}
