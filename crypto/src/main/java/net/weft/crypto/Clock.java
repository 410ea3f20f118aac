package net.weft.crypto;

import java.time.Instant;

/**
 * Time as the protocol needs it: a monotonic clock for rate limits and rotations, and wall time
 * for TAI64N timestamps. Injected so that tests and the node can advance it.
 */
public interface Clock {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time, for TAI64N timestamps in handshake initiations. */
    Instant now();

    /** The system clock. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    };
}
