package net.weft.node.conn;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP network inside the JVM for device tests: {@link InMemoryBind}s on made-up addresses send
 * datagrams to each other without sockets.
 *
 * <p>Two ways to deliver:
 * <ul>
 *   <li>{@link Delivery#THREADED} (the default): each bind has one delivery thread, like a real
 *       bind's event loop. Per bind, datagrams arrive in the order they were sent; the receiver is
 *       never called concurrently for one bind. Tests poll with a deadline, or wait for
 *       {@link #awaitIdle}.
 *   <li>{@link Delivery#MANUAL} ({@link #manual()}): nothing moves until the test calls
 *       {@link #deliverPending()}, which delivers every queued datagram, and those sent in
 *       reaction, on the calling thread in global send order. With a fake clock this makes a
 *       two-device test fully deterministic.
 * </ul>
 *
 * <p>Like a socket buffer, each bind queues at most {@code queueCapacity} datagrams; more are
 * dropped and counted ({@link InMemoryBind#queueDrops()}). Sending to an address where no bind
 * listens loses the datagram silently ({@link #undeliverable()} counts it).
 *
 * <p>Datagrams are copied into pooled direct buffers (as a Netty bind hands them over), so with no
 * {@link Hook} set, sending and delivering allocate nothing once the pool is warm: device
 * allocation tests can run through this network.
 *
 * <p>A {@link Hook} sees every datagram on the sender's thread and may change its bytes and drop,
 * duplicate or hold it; {@link #releaseHeld()} sends the held ones, so holding one datagram and
 * releasing it after the next reorders them.
 */
public final class InMemoryNetwork {

    /** How datagrams reach receivers; see the class comment. */
    public enum Delivery {
        THREADED,
        MANUAL
    }

    /** What happens to one datagram. */
    public enum Action {
        DELIVER,
        DROP,
        /** Deliver it twice. */
        DUPLICATE,
        /** Keep it until {@link #releaseHeld()}. */
        HOLD
    }

    /** Sees every datagram sent on the network, on the sending thread. */
    @FunctionalInterface
    public interface Hook {
        /**
         * Decides the fate of the datagram between {@code payload}'s position and limit. The bytes
         * are the network's copy: the hook may change them (to corrupt a packet) but not keep the
         * buffer.
         */
        Action apply(InetSocketAddress source, InetSocketAddress destination, ByteBuffer payload);
    }

    /** The largest datagram the network carries, as UDP over IPv6 without jumbograms. */
    public static final int MAX_DATAGRAM = 65535;

    static final int DEFAULT_QUEUE_CAPACITY = 4096;
    private static final int FIRST_EPHEMERAL_PORT = 49152;
    private static final long MANUAL_DELIVERY_LIMIT = 10_000_000;

    private final Delivery delivery;
    private final int queueCapacity;
    final BufferPool pool = new BufferPool();

    /** Who listens where: one entry per host address of every open bind. */
    private final ConcurrentHashMap<InetSocketAddress, InMemoryBind> listeners = new ConcurrentHashMap<>();
    /** Every bind made here and not closed, in creation order (for MANUAL delivery and idleness). */
    private final CopyOnWriteArrayList<InMemoryBind> binds = new CopyOnWriteArrayList<>();
    /** Guards port assignment so two opens never take the same port. */
    private final Object portLock = new Object();
    private int nextEphemeral = FIRST_EPHEMERAL_PORT;

    private volatile Hook hook;
    /** Datagrams a hook chose to hold, oldest first; guarded by itself. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final AtomicLong undeliverable = new AtomicLong();
    /** MANUAL: stamps each queued datagram so {@link #deliverPending()} keeps global send order. */
    private final AtomicLong sequence = new AtomicLong();

    private record Held(InetSocketAddress source, InetSocketAddress destination, ByteBuffer buffer) {
    }

    /** A network whose binds each deliver on their own thread. */
    public InMemoryNetwork() {
        this(Delivery.THREADED, DEFAULT_QUEUE_CAPACITY);
    }

    /** A network with the given delivery and per-bind queue size (datagrams). */
    public InMemoryNetwork(Delivery delivery, int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive: " + queueCapacity);
        }
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.queueCapacity = queueCapacity;
    }

    /** A network that delivers only when {@link #deliverPending()} is called. */
    public static InMemoryNetwork manual() {
        return new InMemoryNetwork(Delivery.MANUAL, DEFAULT_QUEUE_CAPACITY);
    }

    public Delivery delivery() {
        return delivery;
    }

    /**
     * A bind (not yet open) on the given host addresses, e.g. one IPv4 and one IPv6 address. A
     * datagram sent to an IPv4 destination leaves from the bind's first IPv4 address, to an IPv6
     * destination from its first IPv6 address (or the first address when the family is missing).
     */
    public InMemoryBind bind(InetAddress... hosts) {
        return bind(0, hosts);
    }

    /**
     * A bind (not yet open) on {@code address}'s host. When the address has a port, {@code open(0)}
     * takes that port rather than a free one, so a test knows the endpoint before the device
     * opens; {@code open(p)} with {@code p != 0} still takes {@code p}.
     */
    public InMemoryBind bind(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        return bind(address.getPort(), address.getAddress());
    }

    private InMemoryBind bind(int preferredPort, InetAddress... hosts) {
        if (hosts.length == 0) {
            throw new IllegalArgumentException("a bind needs at least one host address");
        }
        for (InetAddress host : hosts) {
            Objects.requireNonNull(host, "host");
            if (host.isAnyLocalAddress()) {
                throw new IllegalArgumentException("give the bind a concrete address, not " + host.getHostAddress());
            }
        }
        InMemoryBind bind = new InMemoryBind(this, hosts.clone(), preferredPort, queueCapacity, delivery == Delivery.THREADED);
        binds.add(bind);
        return bind;
    }

    /** Sets (or with null removes) the hook that sees every datagram. */
    public void hook(Hook hook) {
        this.hook = hook;
    }

    /** Sends every held datagram, oldest first, to whoever listens on its destination now. */
    public int releaseHeld() {
        int released = 0;
        while (true) {
            Held h;
            synchronized (held) {
                h = held.pollFirst();
            }
            if (h == null) {
                return released;
            }
            deliver(h.source(), h.destination(), h.buffer());
            released++;
        }
    }

    /** Datagrams sent to an address where nothing listened. */
    public long undeliverable() {
        return undeliverable.get();
    }

    /**
     * MANUAL: delivers queued datagrams on this thread, in the order they were sent, until none is
     * left (datagrams sent by receivers meanwhile are delivered too). Returns how many.
     *
     * @throws IllegalStateException for a THREADED network, or when delivery never quiesces
     */
    public int deliverPending() {
        if (delivery != Delivery.MANUAL) {
            throw new IllegalStateException("deliverPending() is for a MANUAL network; this one is " + delivery);
        }
        int delivered = 0;
        while (true) {
            InMemoryBind next = null;
            long oldest = Long.MAX_VALUE;
            for (InMemoryBind bind : binds) {
                long seq = bind.headSequence();
                if (seq < oldest) {
                    oldest = seq;
                    next = bind;
                }
            }
            if (next == null) {
                return delivered;
            }
            if (next.deliverOne()) {
                delivered++;
            }
            if (delivered > MANUAL_DELIVERY_LIMIT) {
                throw new IllegalStateException("delivery does not quiesce after " + delivered + " datagrams");
            }
        }
    }

    /** Datagrams queued at binds and not yet delivered. */
    public int pending() {
        int n = 0;
        for (InMemoryBind bind : binds) {
            n += bind.queued();
        }
        return n;
    }

    /**
     * THREADED: waits until no bind has a datagram queued or being delivered. Returns false when
     * the timeout passes first. Datagrams sent by other threads afterwards are not waited for.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean idle = true;
            for (InMemoryBind bind : binds) {
                if (!bind.idle()) {
                    idle = false;
                    break;
                }
            }
            if (idle) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(1);
        }
    }

    // ---- called by InMemoryBind ----

    /** Registers {@code bind} on {@code port} (0: its preferred port, else a free one) for all its hosts. */
    int listen(InMemoryBind bind, InetAddress[] hosts, int port, int preferredPort) throws BindException {
        synchronized (portLock) {
            int chosen = port != 0 ? port : preferredPort;
            if (chosen == 0) {
                chosen = freePort(hosts);
            }
            for (InetAddress host : hosts) {
                InMemoryBind other = listeners.get(new InetSocketAddress(host, chosen));
                if (other != null && other != bind) {
                    throw new BindException("address in use: " + host.getHostAddress() + " port " + chosen);
                }
            }
            for (InetAddress host : hosts) {
                listeners.put(new InetSocketAddress(host, chosen), bind);
            }
            return chosen;
        }
    }

    private int freePort(InetAddress[] hosts) throws BindException {
        for (int tries = 0; tries < 65536 - FIRST_EPHEMERAL_PORT; tries++) {
            int candidate = nextEphemeral;
            nextEphemeral = candidate == 65535 ? FIRST_EPHEMERAL_PORT : candidate + 1;
            boolean free = true;
            for (InetAddress host : hosts) {
                if (listeners.containsKey(new InetSocketAddress(host, candidate))) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return candidate;
            }
        }
        throw new BindException("no free port left");
    }

    void unlisten(InMemoryBind bind, InetAddress[] hosts, int port) {
        synchronized (portLock) {
            for (InetAddress host : hosts) {
                listeners.remove(new InetSocketAddress(host, port), bind);
            }
        }
    }

    long nextSequence() {
        return sequence.getAndIncrement();
    }

    /** Copies and routes one datagram; {@code source} is the sender's local address for this destination. */
    void send(InetSocketAddress source, ByteBuffer packet, InetSocketAddress destination) {
        int length = packet.remaining();
        ByteBuffer copy = pool.take(length);
        copy.put(0, packet, packet.position(), length).limit(length);
        Hook h = hook;
        if (h != null) {
            Action action = h.apply(source, destination, copy);
            switch (action == null ? Action.DELIVER : action) {
                case DROP -> {
                    pool.release(copy);
                    return;
                }
                case HOLD -> {
                    synchronized (held) {
                        held.addLast(new Held(source, destination, copy));
                    }
                    return;
                }
                case DUPLICATE -> {
                    ByteBuffer twin = pool.take(copy.remaining());
                    twin.put(0, copy, copy.position(), copy.remaining()).limit(copy.remaining());
                    deliver(source, destination, twin);
                }
                case DELIVER -> {
                }
            }
        }
        deliver(source, destination, copy);
    }

    private void deliver(InetSocketAddress source, InetSocketAddress destination, ByteBuffer buffer) {
        InMemoryBind target = listeners.get(destination);
        if (target == null || !target.enqueue(buffer, source)) {
            if (target == null) {
                undeliverable.incrementAndGet();
            }
            pool.release(buffer);
        }
    }

    /**
     * Direct buffers in two sizes, reused: one for transport-sized datagrams, one for anything up to
     * {@link #MAX_DATAGRAM}. Takers own a buffer until they release it. Guarded by its own monitor.
     */
    static final class BufferPool {
        static final int SMALL = 2048;
        private static final int RETAIN_SMALL = 16384;
        private static final int RETAIN_LARGE = 1024;

        private final ArrayDeque<ByteBuffer> small = new ArrayDeque<>();
        private final ArrayDeque<ByteBuffer> large = new ArrayDeque<>();

        ByteBuffer take(int length) {
            boolean isSmall = length <= SMALL;
            ByteBuffer b;
            synchronized (this) {
                b = isSmall ? small.pollFirst() : large.pollFirst();
            }
            if (b == null) {
                b = ByteBuffer.allocateDirect(isSmall ? SMALL : MAX_DATAGRAM);
            }
            b.clear();
            return b;
        }

        void release(ByteBuffer b) {
            synchronized (this) {
                if (b.capacity() == SMALL) {
                    if (small.size() < RETAIN_SMALL) {
                        small.addFirst(b);
                    }
                } else if (large.size() < RETAIN_LARGE) {
                    large.addFirst(b);
                }
            }
        }
    }
}
