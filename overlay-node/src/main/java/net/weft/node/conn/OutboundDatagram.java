package net.weft.node.conn;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.internal.PlatformDependent;

/**
 * A datagram on its way out of a {@link NettyBind}, reused instead of allocated per packet.
 *
 * <p>Netty writes any {@link DatagramPacket} and releases it once written (or failed); this one
 * goes back to its {@link Pool} on that release, with its direct buffer, so a steady stream of
 * sends allocates nothing. Its reference count is a plain field: the sending thread sets it before
 * the datagram is handed to the event loop through a concurrent queue, and only the event loop
 * touches it afterwards. The envelope's own content and recipient (a placeholder) are never used.
 */
final class OutboundDatagram extends DatagramPacket {

    private static final InetSocketAddress PLACEHOLDER = new InetSocketAddress(0);

    private final ByteBuf buffer;
    private final Queue<OutboundDatagram> home;
    private InetSocketAddress recipient;
    private int refs;

    private OutboundDatagram(int capacity, Queue<OutboundDatagram> home) {
        super(Unpooled.EMPTY_BUFFER, PLACEHOLDER);
        // a wrapped JDK buffer: the garbage collector frees it once the pool lets it go
        this.buffer = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(capacity));
        this.home = home;
    }

    /** Copies the bytes between {@code packet}'s position and limit (leaving both as they were). */
    OutboundDatagram fill(ByteBuffer packet, InetSocketAddress destination) {
        int position = packet.position();
        buffer.clear().writeBytes(packet);
        packet.position(position);
        recipient = destination;
        refs = 1;
        return this;
    }

    int capacity() {
        return buffer.capacity();
    }

    @Override
    public ByteBuf content() {
        return buffer;
    }

    @Override
    public InetSocketAddress recipient() {
        return recipient;
    }

    @Override
    public InetSocketAddress sender() {
        return null;
    }

    @Override
    public int refCnt() {
        return refs;
    }

    @Override
    public DatagramPacket retain() {
        return retain(1);
    }

    @Override
    public DatagramPacket retain(int increment) {
        if (refs <= 0) {
            throw new IllegalStateException("datagram already released");
        }
        refs += increment;
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        if (refs < decrement) {
            throw new IllegalStateException("datagram released too often");
        }
        refs -= decrement;
        if (refs > 0) {
            return false;
        }
        recipient = null;
        home.offer(this); // a full pool drops it for the garbage collector
        return true;
    }

    @Override
    public DatagramPacket touch() {
        return this;
    }

    @Override
    public DatagramPacket touch(Object hint) {
        return this;
    }

    @Override
    public DatagramPacket copy() {
        return new DatagramPacket(buffer.copy(), recipient);
    }

    @Override
    public DatagramPacket duplicate() {
        throw new UnsupportedOperationException("a pooled datagram is not shared");
    }

    @Override
    public DatagramPacket retainedDuplicate() {
        throw new UnsupportedOperationException("a pooled datagram is not shared");
    }

    @Override
    public DatagramPacket replace(ByteBuf content) {
        return new DatagramPacket(content, recipient);
    }

    @Override
    public String toString() {
        return "OutboundDatagram(" + buffer.readableBytes() + " bytes to " + recipient + ")";
    }

    /**
     * Free datagrams in six sizes (2 KiB to 64 KiB, powers of two), each size keeping at most
     * 16 MiB. Any thread takes, the event loop gives back; the queues are lock-free and allocate
     * nothing.
     */
    static final class Pool {
        private static final int SMALLEST_SHIFT = 11;
        private static final int CLASSES = 6;
        private static final int RETAINED_BYTES_PER_CLASS = 16 << 20;

        private final Queue<OutboundDatagram>[] free;

        @SuppressWarnings("unchecked")
        Pool() {
            free = (Queue<OutboundDatagram>[]) new Queue<?>[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                free[c] = PlatformDependent.newFixedMpmcQueue(RETAINED_BYTES_PER_CLASS >> (SMALLEST_SHIFT + c));
            }
        }

        /** A datagram whose buffer holds {@code length} bytes (at most 65536), reused when one is free. */
        OutboundDatagram take(int length) {
            int c = sizeClass(length);
            OutboundDatagram d = free[c].poll();
            return d != null ? d : new OutboundDatagram(1 << (SMALLEST_SHIFT + c), free[c]);
        }

        static int sizeClass(int length) {
            if (length <= 1 << SMALLEST_SHIFT) {
                return 0;
            }
            return 32 - Integer.numberOfLeadingZeros(length - 1) - SMALLEST_SHIFT;
        }
    }
}
