package dev.herald.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void aDurationIsSaidInTheLargestUnitThatMeasuresItExactly() {
        assertThat(Durations.inWords(Duration.ofDays(30))).isEqualTo("30 days");
        assertThat(Durations.inWords(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(Durations.inWords(Duration.ofHours(12))).isEqualTo("12 hours");
        assertThat(Durations.inWords(Duration.ofMinutes(90))).isEqualTo("90 minutes");
        assertThat(Durations.inWords(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Durations.inWords(Duration.ofMillis(1500))).isEqualTo("1500 milliseconds");
        assertThat(Durations.inWords(Duration.ofDays(365 * 1000))).isEqualTo("365000 days");
    }

    @Test
    void whatNoUnitMeasuresIsSaidInIso8601() {
        assertThat(Durations.inWords(Duration.ofNanos(100))).isEqualTo("PT0.0000001S");
        assertThat(Durations.inWords(Duration.ZERO)).isEqualTo("PT0S");
        assertThat(Durations.inWords(Duration.ofDays(-1))).isEqualTo("PT-24H");
    }
}
