package net.weft.node.device;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import net.weft.crypto.Clock;

/** A clock that moves only when a test advances it; monotonic and wall time move together. */
final class FakeClock implements Clock {

    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
    private static final long ORIGIN = 1_000_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(ORIGIN);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return START.plusNanos(nanos.get() - ORIGIN);
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
