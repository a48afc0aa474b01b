package dev.herald.platform.failure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets something through at most once per interval: a dependency that fails every request is logged once in a
 * while, not once per request.
 */
public final class Throttle {

    private final long intervalNanos;
    private final AtomicLong last;

    public Throttle(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.last = new AtomicLong(System.nanoTime() - intervalNanos - 1);
    }

    /** Whether the interval has passed since the last time this answered {@code true} (the first time it has). */
    public boolean tryPass() {
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous > intervalNanos && last.compareAndSet(previous, now);
    }
}
