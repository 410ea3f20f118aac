package net.weft.node.tun;

/**
 * Two connected {@link InMemoryTun} ends standing in for a TUN interface in tests: packets the
 * {@link #device()} end writes are read at the {@link #host()} end (as if the kernel routed them
 * out), and packets written at the host end are read by the device (as if they were sent into the
 * interface). Closing either end closes both, like {@code ip link del}.
 */
public record TunPair(InMemoryTun device, InMemoryTun host) implements AutoCloseable {

    /** Bytes each direction queues before dropping: a few hundred full-size packets. */
    public static final int DEFAULT_CAPACITY_BYTES = 1 << 20;
    /** The MTU a new TUN interface has on Linux. */
    public static final int DEFAULT_MTU = 1500;

    /** A pair named {@code name} with the default MTU and queue size. */
    public static TunPair create(String name) {
        return create(name, DEFAULT_MTU, DEFAULT_CAPACITY_BYTES);
    }

    /** A pair named {@code name}; each direction queues up to {@code capacityBytes} of packets. */
    public static TunPair create(String name, int mtu, int capacityBytes) {
        if (capacityBytes < Tun.MAX_PACKET + Integer.BYTES) {
            throw new IllegalArgumentException("capacity below one largest packet: " + capacityBytes);
        }
        Link link = new Link(capacityBytes);
        InMemoryTun device = new InMemoryTun(name, link, link.toDevice, link.toHost);
        device.setMtu(mtu);
        return new TunPair(device, new InMemoryTun(name, link, link.toHost, link.toDevice));
    }

    /** Closes both ends. */
    @Override
    public void close() {
        device.close();
    }

    /** What both ends share: the two queues, the MTU and whether the interface still exists. */
    static final class Link {
        final InMemoryTun.Ring toDevice;
        final InMemoryTun.Ring toHost;
        volatile int mtu = DEFAULT_MTU;
        volatile boolean closed;

        Link(int capacityBytes) {
            this.toDevice = new InMemoryTun.Ring(capacityBytes, this);
            this.toHost = new InMemoryTun.Ring(capacityBytes, this);
        }

        void close() {
            closed = true;
            toDevice.wake();
            toHost.wake();
        }
    }
}
