package net.weft.crypto.replay;

import java.util.Arrays;

/**
 * Rejects transport counters seen before or too old to tell (RFC 6479's bitmap ring). The ring
 * holds 128 words of 64 bits; the word holding the newest counter is partly ahead of it, so the
 * window behind the newest counter is {@code (128 - 1) * 64 = 8128} counters.
 *
 * <p>Call {@link #validate} only after the packet authenticated, or an attacker could move the
 * window forward with forged counters. Not thread-safe: the receiving worker of a keypair owns it.
 */
public final class ReplayFilter {

    private static final int BLOCK_BITS_LOG = 6;
    private static final int BLOCK_BITS = 1 << BLOCK_BITS_LOG;
    private static final int RING_BLOCKS = 128;
    private static final int RING_MASK = RING_BLOCKS - 1;
    /** Counters this far behind the newest one are still judged; older ones are rejected. */
    public static final int WINDOW_SIZE = (RING_BLOCKS - 1) * BLOCK_BITS;

    private final long[] ring = new long[RING_BLOCKS];
    /** The newest counter accepted so far (unsigned). */
    private long last;

    /** Forgets every counter seen (a fresh keypair). */
    public void reset() {
        last = 0;
        Arrays.fill(ring, 0);
    }

    /**
     * Returns {@code true} and remembers {@code counter} when it was not seen before, is not
     * older than the window, and is below {@code limit} (unsigned, e.g.
     * {@link net.weft.crypto.Protocol#REJECT_AFTER_MESSAGES}); {@code false} otherwise.
     */
    public boolean validate(long counter, long limit) {
        if (Long.compareUnsigned(counter, limit) >= 0) {
            return false;
        }
        long block = counter >>> BLOCK_BITS_LOG;
        if (Long.compareUnsigned(counter, last) > 0) {
            // moving forward: clear the words the window slides over
            long current = last >>> BLOCK_BITS_LOG;
            long diff = Math.min(block - current, RING_BLOCKS);
            for (long i = 1; i <= diff; i++) {
                ring[(int) ((current + i) & RING_MASK)] = 0;
            }
            last = counter;
        } else if (Long.compareUnsigned(last - counter, WINDOW_SIZE) > 0) {
            return false;
        }
        int index = (int) (block & RING_MASK);
        long bit = 1L << (counter & (BLOCK_BITS - 1));
        long old = ring[index];
        ring[index] = old | bit;
        return (old & bit) == 0;
    }
}
