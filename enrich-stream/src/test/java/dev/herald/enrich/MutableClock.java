package dev.herald.enrich;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    private volatile RuntimeException failure;

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Makes every read of the time throw {@code failure} until it is given {@code null}. */
    public void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    @Override
    public Instant instant() {
        RuntimeException broken = failure;
        if (broken != null) {
            throw broken;
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
