package net.weft.node.conn;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Bind} on an {@link InMemoryNetwork}: made by {@link InMemoryNetwork#bind}, it sends to
 * other binds of the same network and receives from them. Delivery happens on the bind's own
 * thread ({@code weft-inmem-<host>-<port>}) or, for a MANUAL network, on the thread calling
 * {@link InMemoryNetwork#deliverPending()}. {@link #send} delivers at once; {@link #flush()} does
 * nothing. A closed bind may be opened again.
 */
public final class InMemoryBind implements Bind {

    private static final long JOIN_MILLIS = 5_000;

    private final InMemoryNetwork network;
    private final InetAddress[] hosts;
    private final int preferredPort;
    private final boolean threaded;

    /** Open state; guarded by {@code this}. Reads on the send path go through the volatiles. */
    private volatile int port;
    private volatile Receiver receiver;
    private volatile InetSocketAddress local4;
    private volatile InetSocketAddress local6;
    private volatile int fwmark;
    /** The delivery thread (THREADED); a thread that is no longer this one stops. */
    private volatile Thread thread;

    /**
     * The receive queue, a ring of (buffer, source, sequence), like a socket's receive buffer.
     * Guarded by {@code queue}: any sender thread adds, the delivery thread (or deliverPending)
     * removes. The delivery thread waits on {@code queue} when it is empty.
     */
    private final Object queue = new Object();
    private final ByteBuffer[] ringBuffers;
    private final InetSocketAddress[] ringSources;
    private final long[] ringSequences;
    private int head;
    private int count;
    private boolean delivering;
    private boolean stopping;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong queueDrops = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();

    InMemoryBind(InMemoryNetwork network, InetAddress[] hosts, int preferredPort, int queueCapacity, boolean threaded) {
        this.network = network;
        this.hosts = hosts;
        this.preferredPort = preferredPort;
        this.threaded = threaded;
        this.ringBuffers = new ByteBuffer[queueCapacity];
        this.ringSources = new InetSocketAddress[queueCapacity];
        this.ringSequences = new long[queueCapacity];
    }

    @Override
    public synchronized int open(int port, Receiver receiver) throws IOException {
        Objects.requireNonNull(receiver, "receiver");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        int old = this.port;
        if (old != 0) {
            network.unlisten(this, hosts, old);
            this.port = 0;
            discardQueue();
        }
        int chosen = network.listen(this, hosts, port, preferredPort);
        InetSocketAddress first = new InetSocketAddress(hosts[0], chosen);
        InetSocketAddress v4 = null;
        InetSocketAddress v6 = null;
        for (InetAddress host : hosts) {
            if (host instanceof Inet4Address) {
                if (v4 == null) {
                    v4 = new InetSocketAddress(host, chosen);
                }
            } else if (v6 == null) {
                v6 = new InetSocketAddress(host, chosen);
            }
        }
        this.local4 = v4 != null ? v4 : first;
        this.local6 = v6 != null ? v6 : first;
        this.receiver = receiver;
        this.port = chosen;
        synchronized (queue) {
            stopping = false;
        }
        if (threaded && thread == null) {
            thread = Thread.ofPlatform()
                    .name("weft-inmem-" + hosts[0].getHostAddress() + "-" + chosen)
                    .daemon(true)
                    .unstarted(this::routineDeliver);
            thread.start();
        }
        return chosen;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void fwmark(int mark) {
        this.fwmark = mark;
    }

    /** The mark last set with {@link #fwmark}; the in-memory network ignores it. */
    public int fwmark() {
        return fwmark;
    }

    /** The address a datagram to {@code destination} comes from, or null when closed. */
    public InetSocketAddress localAddress(InetSocketAddress destination) {
        if (port == 0) {
            return null;
        }
        return destination.getAddress() instanceof Inet4Address ? local4 : local6;
    }

    @Override
    public void send(ByteBuffer packet, InetSocketAddress destination) {
        InetSocketAddress source = destination.getAddress() instanceof Inet4Address ? local4 : local6;
        if (port == 0 || source == null || packet.remaining() > InMemoryNetwork.MAX_DATAGRAM) {
            sendErrors.incrementAndGet();
            return;
        }
        sent.incrementAndGet();
        network.send(source, packet, destination);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            int old = port;
            if (old != 0) {
                network.unlisten(this, hosts, old);
                port = 0;
            }
            receiver = null;
            t = thread;
            thread = null;
            synchronized (queue) {
                stopping = true;
                queue.notifyAll();
            }
            discardQueue();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Datagrams this bind sent (accepted for sending). */
    public long sent() {
        return sent.get();
    }

    /** Datagrams handed to the receiver. */
    public long received() {
        return received.get();
    }

    /** Datagrams lost because the receive queue was full. */
    public long queueDrops() {
        return queueDrops.get();
    }

    /** Sends refused: bind closed, or a datagram larger than {@link InMemoryNetwork#MAX_DATAGRAM}. */
    public long sendErrors() {
        return sendErrors.get();
    }

    /** Exceptions thrown by the receiver (caught and counted). */
    public long receiveErrors() {
        return receiveErrors.get();
    }

    @Override
    public String toString() {
        return "InMemoryBind(" + hosts[0].getHostAddress() + ":" + port + ")";
    }

    // ---- the receive queue ----

    /** Queues a datagram; false (and counted) when the queue is full or the bind closed. */
    boolean enqueue(ByteBuffer buffer, InetSocketAddress source) {
        synchronized (queue) {
            if (stopping && threaded || count == ringBuffers.length) {
                queueDrops.incrementAndGet();
                return false;
            }
            int tail = (head + count) % ringBuffers.length;
            ringBuffers[tail] = buffer;
            ringSources[tail] = source;
            ringSequences[tail] = threaded ? 0 : network.nextSequence();
            count++;
            if (count == 1 && !delivering) {
                queue.notifyAll();
            }
            return true;
        }
    }

    private void discardQueue() {
        synchronized (queue) {
            while (count > 0) {
                network.pool.release(ringBuffers[head]);
                ringBuffers[head] = null;
                ringSources[head] = null;
                head = (head + 1) % ringBuffers.length;
                count--;
            }
        }
    }

    int queued() {
        synchronized (queue) {
            return count;
        }
    }

    boolean idle() {
        synchronized (queue) {
            return count == 0 && !delivering;
        }
    }

    /** MANUAL: the sequence of the oldest queued datagram, or Long.MAX_VALUE when none. */
    long headSequence() {
        synchronized (queue) {
            return count == 0 ? Long.MAX_VALUE : ringSequences[head];
        }
    }

    /** MANUAL: delivers the oldest queued datagram on this thread; false when there was none. */
    boolean deliverOne() {
        ByteBuffer buffer;
        InetSocketAddress source;
        synchronized (queue) {
            if (count == 0) {
                return false;
            }
            buffer = ringBuffers[head];
            source = ringSources[head];
            ringBuffers[head] = null;
            ringSources[head] = null;
            head = (head + 1) % ringBuffers.length;
            count--;
        }
        handOver(buffer, source);
        return true;
    }

    /** The delivery thread: takes datagrams off the queue until the bind closes. */
    private void routineDeliver() {
        while (true) {
            ByteBuffer buffer;
            InetSocketAddress source;
            synchronized (queue) {
                while (count == 0 && !stopping && thread == Thread.currentThread()) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopping || thread != Thread.currentThread()) {
                    return;
                }
                buffer = ringBuffers[head];
                source = ringSources[head];
                ringBuffers[head] = null;
                ringSources[head] = null;
                head = (head + 1) % ringBuffers.length;
                count--;
                delivering = true;
            }
            try {
                handOver(buffer, source);
            } finally {
                synchronized (queue) {
                    delivering = false;
                }
            }
        }
    }

    private void handOver(ByteBuffer buffer, InetSocketAddress source) {
        Receiver r = receiver;
        try {
            if (r != null) {
                received.incrementAndGet();
                r.receive(buffer, source);
                r.batchEnd();
            }
        } catch (RuntimeException e) {
            receiveErrors.incrementAndGet();
        } finally {
            network.pool.release(buffer);
        }
    }
}
