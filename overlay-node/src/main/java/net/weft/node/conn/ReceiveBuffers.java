package net.weft.node.conn;

import java.util.ArrayDeque;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;

/**
 * The receive side's buffers, reused.
 *
 * <p>For every read, Netty asks the channel's allocator for one buffer with room for a whole batch
 * ({@link NettyBind#RECEIVE_BATCH} datagrams of up to 64 KiB: about 1 MiB), reads datagrams into
 * slices of it and lets it go once they are handled. Netty's adaptive allocator pools buffers only
 * up to a size that depends on the heap: 256 KiB when the heap is at most 512 MiB, as weft-wg's is.
 * Above that, every read, so every wake-up of an idle tunnel, allocated a fresh direct buffer of
 * 1 MiB, zeroed it, and freed it again. Here a released buffer goes back to a short free list and
 * serves the next read as it is.
 *
 * <p>Buffers are taken and released on the event loop; the free list takes a lock anyway, so that a
 * release on another thread stays correct.
 */
final class ReceiveBuffers extends AbstractByteBufAllocator {

    /** Free buffers kept: a read holds one; a datagram still held elsewhere may hold another. */
    private static final int KEEP = 4;

    private final ArrayDeque<Reused> free = new ArrayDeque<>(KEEP);
    private long created;

    ReceiveBuffers() {
        super(true);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        synchronized (free) {
            Reused b = free.pollFirst();
            while (b != null && b.capacity() < initialCapacity) {
                b.free();
                b = free.pollFirst();
            }
            if (b != null) {
                b.reuse();
                return b;
            }
            created++;
        }
        return new Reused(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** Buffers made so far: stays small however many reads there were. */
    long created() {
        synchronized (free) {
            return created;
        }
    }

    /** A direct buffer that goes back to the free list, not to the system, when released. */
    private final class Reused extends UnpooledUnsafeDirectByteBuf {

        Reused(int initialCapacity, int maxCapacity) {
            super(ReceiveBuffers.this, initialCapacity, maxCapacity);
        }

        @Override
        protected void deallocate() {
            synchronized (free) {
                if (free.size() < KEEP) {
                    free.addFirst(this);
                    return;
                }
            }
            super.deallocate();
        }

        void reuse() {
            resetRefCnt();
            clear();
        }

        void free() {
            super.deallocate();
        }
    }
}
