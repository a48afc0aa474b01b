package dev.herald.platform.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void passesTheFirstTimeThenOnlyOnceTheIntervalHasGone() throws InterruptedException {
        Throttle throttle = new Throttle(Duration.ofMillis(200));

        assertThat(throttle.tryPass()).isTrue();
        assertThat(throttle.tryPass()).isFalse();
        assertThat(throttle.tryPass()).isFalse();
        Thread.sleep(250);
        assertThat(throttle.tryPass()).isTrue();
        assertThat(throttle.tryPass()).isFalse();
    }
}
