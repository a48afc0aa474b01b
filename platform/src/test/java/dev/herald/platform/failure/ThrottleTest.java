package dev.herald.platform.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void passesTheFirstTimeThenOnlyOnceTheIntervalHasGone() {
        AtomicLong now = new AtomicLong(1_000);
        Throttle throttle = new Throttle(Duration.ofNanos(200), now::get);

        assertThat(throttle.tryPass()).isTrue();
        now.addAndGet(200);
        assertThat(throttle.tryPass()).isFalse();
        now.addAndGet(1);
        assertThat(throttle.tryPass()).isTrue();
        assertThat(throttle.tryPass()).isFalse();
    }
}
