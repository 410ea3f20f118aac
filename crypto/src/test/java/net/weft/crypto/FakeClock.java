package net.weft.crypto;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link Clock} that moves only when a test says so. Monotonic time and wall time are set
 * apart, so a test can, for example, let 1 s pass on the monotonic clock while the wall clock
 * stands still or goes back (a stale TAI64N timestamp without a flood).
 */
public final class FakeClock implements Clock {

    private long nanoTime;
    private Instant now;

    public FakeClock() {
        this(1_000_000_000_000L, Instant.parse("2025-06-01T12:00:00Z"));
    }

    public FakeClock(long nanoTime, Instant now) {
        this.nanoTime = nanoTime;
        this.now = now;
    }

    @Override
    public synchronized long nanoTime() {
        return nanoTime;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    /** Moves both clocks forward by {@code d}. */
    public synchronized FakeClock advance(Duration d) {
        nanoTime += d.toNanos();
        now = now.plus(d);
        return this;
    }

    /** Moves only the monotonic clock. */
    public synchronized FakeClock advanceMonotonic(Duration d) {
        nanoTime += d.toNanos();
        return this;
    }

    /** Moves only the wall clock, forward or (negative {@code d}) back. */
    public synchronized FakeClock advanceWall(Duration d) {
        now = now.plus(d);
        return this;
    }
}
