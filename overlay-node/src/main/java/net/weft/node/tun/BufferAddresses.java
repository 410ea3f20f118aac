package net.weft.node.tun;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * One thread's view of the native memory behind the buffers it hands to a TUN: the base address of
 * each direct buffer it has used recently, and a scratch direct buffer for heap buffers.
 *
 * <p>Why: wrapping a buffer in a {@link MemorySegment} for each call allocates unless the JIT
 * happens to scalar-replace the segment, which depends on inlining and was seen to fail in some
 * call sites and succeed in others. Looking the address up here allocates nothing once a buffer
 * has been seen, whatever the JIT does. Buffers come from pools, so the same few hundred recur.
 *
 * <p>Owned by one thread (see {@link #current()}); not thread-safe.
 */
final class BufferAddresses {

    /** Slots in the direct-mapped table; a pool larger than this costs a lookup miss now and then. */
    private static final int SLOTS = 512;

    private static final ThreadLocal<BufferAddresses> CURRENT = ThreadLocal.withInitial(BufferAddresses::new);

    /** WeakReferences to buffers, so that the table never keeps one (and its native memory) alive. */
    private final Object[] buffers = new Object[SLOTS];
    private final long[] addresses = new long[SLOTS];
    private ByteBuffer scratch;
    private long scratchAddress;

    private BufferAddresses() {
    }

    static BufferAddresses current() {
        return CURRENT.get();
    }

    /**
     * The native address of index 0 of the direct buffer {@code buffer}; valid while the buffer is
     * reachable, so callers keep it reachable until the native call returns.
     */
    long baseAddress(ByteBuffer buffer) {
        int slot = System.identityHashCode(buffer) & (SLOTS - 1);
        if (buffers[slot] instanceof WeakReference<?> known && known.get() == buffer) {
            return addresses[slot];
        }
        long address = MemorySegment.ofBuffer(buffer.duplicate().clear()).address();
        buffers[slot] = new WeakReference<>(buffer);
        addresses[slot] = address;
        return address;
    }

    /** A direct buffer of {@link Tun#MAX_PACKET} bytes for copying heap buffers through. */
    ByteBuffer scratch() {
        if (scratch == null) {
            scratch = ByteBuffer.allocateDirect(Tun.MAX_PACKET);
            scratchAddress = MemorySegment.ofBuffer(scratch).address();
        }
        return scratch;
    }

    /** The address of {@link #scratch()}. */
    long scratchAddress() {
        scratch();
        return scratchAddress;
    }
}
