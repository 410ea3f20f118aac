package net.weft.crypto.primitive;

import java.time.Instant;
import java.util.Arrays;

/**
 * TAI64N timestamps (12 bytes: big-endian {@code 2^62 + 10 + seconds}, then big-endian
 * nanoseconds), which handshake initiations carry so that a responder can refuse replays.
 * Nanoseconds are rounded down to 2^24 ns (about 16.8 ms) so a timestamp does not reveal the
 * sender's clock more precisely than the 20 ms initiation rate limit needs.
 */
public final class Tai64n {

    public static final int LENGTH = 12;

    /** {@code 2^62 + 10}: the TAI64 label of the Unix epoch, as WireGuard encodes it. */
    private static final long BASE = 0x400000000000000aL;
    private static final int WHITENER_MASK = (1 << 24) - 1;

    private Tai64n() {
    }

    /** Writes the timestamp of {@code t} into {@code out[off..off+12)}. */
    public static void write(Instant t, byte[] out, int off) {
        long secs = BASE + t.getEpochSecond();
        int nanos = t.getNano() & ~WHITENER_MASK;
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (secs >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
    }

    /** True when timestamp {@code a} is strictly after {@code b} (unsigned lexicographic order). */
    public static boolean isAfter(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, LENGTH, b, 0, LENGTH) > 0;
    }
}
