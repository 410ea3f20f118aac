package net.weft.node.tun;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;

/**
 * One end of a {@link TunPair}: what one end writes, the other end reads, packet by packet. The
 * device under test holds {@link TunPair#device()}; the test plays the operating system through
 * {@link TunPair#host()}.
 *
 * <p>Like a real TUN queue, each direction holds a bounded number of bytes; a write that does not
 * fit is dropped and counted ({@link #dropped()}) rather than blocking the writer. Nothing is
 * allocated per packet: packets are copied into and out of a preallocated byte ring. Closing
 * either end is like deleting the interface: both ends read -1 and refuse writes from then on.
 */
public final class InMemoryTun implements Tun {

    private final String name;
    private final TunPair.Link link;
    /** Packets for this end to read. */
    private final Ring inbound;
    /** Packets for the other end to read. */
    private final Ring outbound;

    InMemoryTun(String name, TunPair.Link link, Ring inbound, Ring outbound) {
        this.name = name;
        this.link = link;
        this.inbound = inbound;
        this.outbound = outbound;
    }

    @Override
    public String name() {
        return name;
    }

    /** The MTU both ends report; {@link #setMtu} changes it, as {@code ip link set mtu} would. */
    @Override
    public int mtu() throws IOException {
        if (link.closed) {
            throw new ClosedChannelException();
        }
        return link.mtu;
    }

    /** Sets the MTU both ends report. Packets are not checked against it, as on a real TUN. */
    public void setMtu(int mtu) {
        if (mtu < 68 || mtu > MAX_PACKET) {
            throw new IllegalArgumentException("MTU out of range: " + mtu);
        }
        link.mtu = mtu;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A packet longer than {@code dst}'s room is dropped and counted, as {@link LinuxTun} does.
     */
    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (!dst.hasRemaining()) {
            throw new IllegalArgumentException("no room in the buffer");
        }
        return inbound.poll(dst);
    }

    /** {@inheritDoc} An interrupted waiter gets an {@link InterruptedIOException}. */
    @Override
    public boolean awaitReadable() throws IOException {
        try {
            return inbound.awaitPacket();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on " + name);
        }
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (!src.hasRemaining()) {
            throw new IOException("write " + name + ": empty packet");
        }
        if (src.remaining() > MAX_PACKET) {
            throw new IOException("write " + name + ": packet of " + src.remaining() + " bytes");
        }
        if (!outbound.offer(src)) {
            throw new ClosedChannelException();
        }
    }

    /** Packets this end wrote that the other end's queue had no room for. */
    public long dropped() {
        return outbound.dropped();
    }

    /** Packets this end wrote that the other end's queue took. */
    public long written() {
        return outbound.offered();
    }

    /** Packets dropped because they did not fit the buffer given to {@link #read}. */
    public long truncatedPackets() {
        return inbound.truncated();
    }

    /** Packets waiting for this end to read. */
    public int pending() {
        return inbound.size();
    }

    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return "InMemoryTun[" + name + (link.closed ? ", closed]" : "]");
    }

    /**
     * A bounded queue of packets in one byte array: each packet is a 4-byte length then its bytes,
     * wrapping at the end of the array. Guarded by its own monitor: any thread offers, readers take
     * and wait on the monitor while it is empty (Object.wait allocates nothing on the heap).
     */
    static final class Ring {
        private final byte[] bytes;
        private final TunPair.Link link;
        private long head;
        private long tail;
        private int packets;
        private long offered;
        private long dropped;
        private long truncated;

        Ring(int capacityBytes, TunPair.Link link) {
            this.bytes = new byte[capacityBytes];
            this.link = link;
        }

        /** Queues the packet, or drops it when there is no room; false once the link is closed. */
        synchronized boolean offer(ByteBuffer src) {
            if (link.closed) {
                return false;
            }
            int length = src.remaining();
            if (tail - head + Integer.BYTES + length > bytes.length) {
                dropped++;
                src.position(src.limit());
                return true;
            }
            putInt(length);
            int at = index(tail);
            int first = Math.min(length, bytes.length - at);
            src.get(bytes, at, first);
            src.get(bytes, 0, length - first);
            tail += length;
            packets++;
            offered++;
            notifyAll();
            return true;
        }

        /** The next packet that fits into {@code dst}, its length; 0 when none is queued, -1 once closed. */
        synchronized int poll(ByteBuffer dst) {
            while (true) {
                if (link.closed) {
                    return -1;
                }
                if (packets == 0) {
                    return 0;
                }
                int length = getInt();
                packets--;
                int at = index(head);
                head += length;
                if (length > dst.remaining()) {
                    truncated++;
                    continue;
                }
                int first = Math.min(length, bytes.length - at);
                dst.put(bytes, at, first);
                dst.put(bytes, 0, length - first);
                return length;
            }
        }

        /** Waits until a packet is queued (true) or the link is closed (false). */
        synchronized boolean awaitPacket() throws InterruptedException {
            while (packets == 0 && !link.closed) {
                // bounded, so that a missed wake-up (there should be none) costs at most this
                wait(500);
            }
            return !link.closed;
        }

        synchronized int size() {
            return packets;
        }

        synchronized long offered() {
            return offered;
        }

        synchronized long dropped() {
            return dropped;
        }

        synchronized long truncated() {
            return truncated;
        }

        synchronized void wake() {
            notifyAll();
        }

        private int index(long position) {
            return (int) (position % bytes.length);
        }

        private void putInt(int value) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[index(tail++)] = (byte) (value >>> shift);
            }
        }

        private int getInt() {
            int value = 0;
            for (int i = 0; i < Integer.BYTES; i++) {
                value = value << 8 | (bytes[index(head++)] & 0xff);
            }
            return value;
        }
    }
}
