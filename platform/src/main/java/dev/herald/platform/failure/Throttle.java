package dev.herald.platform.failure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets something through at most once per interval: a dependency that fails every request is logged once in a
 * while, not once per request.
 */
public final class Throttle {

    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong last;

    public Throttle(Duration interval) {
        this(interval, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    Throttle(Duration interval, LongSupplier clock) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.last = new AtomicLong(clock.getAsLong() - intervalNanos - 1);
    }

    /** Whether the interval has passed since the last time this answered {@code true} (the first time it has). */
    public boolean tryPass() {
        long now = clock.getAsLong();
        long previous = last.get();
        return now - previous > intervalNanos && last.compareAndSet(previous, now);
    }
}
