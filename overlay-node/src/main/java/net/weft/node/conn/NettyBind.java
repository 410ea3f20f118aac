package net.weft.node.conn;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;

/**
 * The production {@link Bind}: one Netty epoll UDP socket for IPv4 and IPv6 on a single event
 * loop thread ({@code weft-udp-<n>}).
 *
 * <p>Receive flow, all on the event loop:
 * <ol>
 *   <li>epoll wakes the loop; Netty reads up to {@value #RECEIVE_BATCH} datagrams per
 *       {@code recvmmsg} into one pooled buffer cut into {@value #MAX_DATAGRAM}-byte slots,
 *       {@value #MAX_MESSAGES_PER_READ} datagrams at most per wakeup.
 *   <li>each datagram's bytes are handed to the {@link Receiver} as a {@link ByteBuffer} view of the
 *       pooled buffer, with the sender (IPv4 senders as {@link java.net.Inet4Address}, never
 *       {@code ::ffff:} mapped: Netty converts them), then the buffer is released.
 * </ol>
 * Slots are as large as the largest UDP payload, because {@code recvmmsg} cuts a datagram longer
 * than its slot without telling Netty: smaller slots would truncate large-MTU traffic silently.
 *
 * <p>Send flow: from a thread other than the event loop (the device's TUN reader, crypto workers,
 * timers) {@link #send} calls sendto(2) on the socket at once ({@link DirectSocket}): no hand-off
 * to the loop, so an idle tunnel pays no thread wake-up per packet and a busy one no queue. When
 * the socket buffer is full (or datagrams already wait in the queue, whose order must hold) it
 * copies the bytes into a reused datagram ({@link OutboundDatagram}) with its own direct buffer and
 * queues it (bounded, {@value #SEND_QUEUE_CAPACITY} datagrams); {@link #flush()} then schedules one
 * task that writes everything queued and flushes, which Netty turns into {@code sendmmsg} batches.
 * A sender that finds the queue full waits briefly for the loop to drain it before dropping. On the
 * event loop itself {@link #send} writes the datagram to the channel; writes left unflushed there
 * are flushed when a receive batch completes.
 *
 * <p>UDP loses datagrams by design: failures never throw, they are counted ({@link #sendErrors()},
 * {@link #receiveErrors()}).
 *
 * <p>UDP GRO stays off: with recvmmsg it merges datagrams wrongly in Netty 4.2.18 (Netty issue
 * 17492).
 */
public final class NettyBind implements Bind {

    private static final System.Logger LOG = System.getLogger(NettyBind.class.getName());

    /** SO_RCVBUF and SO_SNDBUF asked for (the kernel reports twice this). */
    public static final int SOCKET_BUFFER_BYTES = 4 << 20;
    /** The largest UDP payload (IPv6 without jumbograms is 65527, IPv4 65507): a slot never truncates. */
    public static final int MAX_DATAGRAM = 65535;
    /** Datagrams per recvmmsg call; the receive buffer is this many slots (about 1 MiB). */
    public static final int RECEIVE_BATCH = 16;
    /** Datagrams read per epoll wakeup before the loop turns to other work. */
    public static final int MAX_MESSAGES_PER_READ = 256;
    /** Datagrams queued by other threads before a flush; a sender finding it full waits up to 2 ms, then drops. */
    public static final int SEND_QUEUE_CAPACITY = 4096;
    /** Writes between flushes while draining the send queue, so sendmmsg batches stay bounded. */
    private static final int WRITES_PER_FLUSH = 64;
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
    private static final long FULL_QUEUE_WAIT_NANOS = 2_000_000;
    private static final long FULL_QUEUE_PARK_NANOS = 20_000;

    private static final int SOL_SOCKET = 1;
    private static final int IPPROTO_IPV6 = 41;
    // Linux socket option numbers (asm-generic/socket.h, linux/in6.h); Netty has no named options for them.
    private static final IntegerUnixChannelOption SO_SNDBUFFORCE = new IntegerUnixChannelOption("SO_SNDBUFFORCE", SOL_SOCKET, 32);
    private static final IntegerUnixChannelOption SO_RCVBUFFORCE = new IntegerUnixChannelOption("SO_RCVBUFFORCE", SOL_SOCKET, 33);
    private static final IntegerUnixChannelOption SO_MARK = new IntegerUnixChannelOption("SO_MARK", SOL_SOCKET, 36);
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", IPPROTO_IPV6, 26);

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /**
     * The receive batches' buffers (about 1 MiB each), reused read after read: Netty's pooled
     * allocator was several times slower for them (40k against 260k datagrams/s on loopback), and
     * its adaptive one allocates and zeroes a fresh one per read when the heap is small.
     */
    private final ReceiveBuffers receiveBuffers = new ReceiveBuffers();

    private final String threadName;
    private final int socketBufferBytes;
    private final boolean ipv6;
    /** Reused datagrams for sending: no allocation per packet on the sending thread. */
    private final OutboundDatagram.Pool outbound = new OutboundDatagram.Pool();

    /** Lifecycle state, guarded by {@code this}: open, close and fwmark run one at a time. */
    private MultiThreadIoEventLoopGroup group;
    private final List<Thread> loopThreads = new CopyOnWriteArrayList<>();
    private int fwmark;
    private int appliedMark;

    /** Read without the lock on the data path; written under {@code this}. */
    private volatile EventLoop loop;
    private volatile EpollDatagramChannel channel;
    /** The open channel's socket for direct sends; null when closed. */
    private volatile DirectSocket direct;
    private volatile Receiver receiver;
    private volatile int port;
    private volatile boolean dualStack;

    /**
     * Datagrams sent from threads other than the event loop, waiting for a flush. Many producers
     * (any sending thread), one consumer (the event loop, in {@link #drain()}). Owns the buffers in it.
     */
    private final Queue<DatagramPacket> sendQueue = PlatformDependent.newFixedMpscQueue(SEND_QUEUE_CAPACITY);
    /** True while a drain task is scheduled and has not started yet; keeps it one task per batch. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Event loop only: writes made on the loop and not flushed yet. */
    private int unflushedOnLoop;
    /** Event loop only: set while this bind flushes, so write failures count as send errors. */
    private boolean flushing;

    private final LongAdder sent = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();

    /** A bind with {@link #SOCKET_BUFFER_BYTES} socket buffers. */
    public NettyBind() {
        this(SOCKET_BUFFER_BYTES);
    }

    /** A bind asking for {@code socketBufferBytes} of SO_RCVBUF and SO_SNDBUF. */
    public NettyBind(int socketBufferBytes) {
        this(socketBufferBytes, true);
    }

    /** With {@code ipv6} false the bind behaves as on a host without IPv6 (for tests). */
    NettyBind(int socketBufferBytes, boolean ipv6) {
        if (socketBufferBytes <= 0) {
            throw new IllegalArgumentException("socketBufferBytes must be positive: " + socketBufferBytes);
        }
        this.socketBufferBytes = socketBufferBytes;
        this.ipv6 = ipv6;
        this.threadName = "weft-udp-" + INSTANCES.incrementAndGet();
    }

    /**
     * Throws a clear error when Netty's native epoll transport cannot load (not Linux, not x86_64,
     * or the native jar missing).
     */
    public static void checkAvailable() throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty native epoll is unavailable, so the UDP bind cannot run: "
                    + Epoll.unavailabilityCause() + " (Weft needs Linux x86_64 and netty-transport-native-epoll)",
                    Epoll.unavailabilityCause());
        }
    }

    @Override
    public synchronized int open(int port, Receiver receiver) throws IOException {
        Objects.requireNonNull(receiver, "receiver");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        checkAvailable();
        closeChannel();
        if (group == null) {
            ThreadFactory netty = new DefaultThreadFactory(threadName, true);
            group = new MultiThreadIoEventLoopGroup(1, (ThreadFactory) r -> {
                Thread t = netty.newThread(r);
                t.setName(threadName);
                loopThreads.add(t);
                return t;
            }, EpollIoHandler.newFactory());
            loop = group.next();
        }
        this.receiver = receiver;
        EpollDatagramChannel ch;
        try {
            if (!ipv6) {
                throw new IOException("IPv6 turned off");
            }
            ch = bindDualStack(port);
            dualStack = true;
        } catch (IOException | ChannelException e) {
            if (addressInUse(e)) {
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            LOG.log(Level.DEBUG, "IPv6 socket unavailable ({0}); IPv4 only", e.toString());
            ch = bindIpv4(port);
            dualStack = false;
        }
        channel = ch;
        direct = new DirectSocket(ch.fd().intValue(), dualStack);
        this.port = ch.localAddress().getPort();
        LOG.log(Level.DEBUG, "UDP bind on port {0} ({1}), SO_RCVBUF {2}, SO_SNDBUF {3}", this.port,
                dualStack ? "IPv4 and IPv6" : "IPv4 only", ch.config().getReceiveBufferSize(), ch.config().getSendBufferSize());
        return this.port;
    }

    private static boolean addressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("in use")) {
                return true;
            }
        }
        return false;
    }

    private EpollDatagramChannel bindDualStack(int port) throws IOException {
        EpollDatagramChannel ch = new EpollDatagramChannel(SocketProtocolFamily.INET6);
        try {
            ch.config().setOption(IPV6_V6ONLY, 0);
            return configureAndBind(ch, new InetSocketAddress(InetAddress.getByAddress(new byte[16]), port));
        } catch (IOException | RuntimeException e) {
            discard(ch);
            throw e;
        }
    }

    private EpollDatagramChannel bindIpv4(int port) throws IOException {
        EpollDatagramChannel ch = new EpollDatagramChannel(SocketProtocolFamily.INET);
        try {
            return configureAndBind(ch, new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port));
        } catch (IOException | RuntimeException e) {
            discard(ch);
            throw e;
        }
    }

    /** Closes a channel that failed to come up, registered or not. */
    private static void discard(EpollDatagramChannel ch) {
        if (ch.isRegistered()) {
            ch.close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
        } else {
            ch.unsafe().closeForcibly();
        }
    }

    private EpollDatagramChannel configureAndBind(EpollDatagramChannel ch, InetSocketAddress local) throws IOException {
        var config = ch.config();
        config.setAllocator(receiveBuffers);
        // one slot per datagram as large as any datagram: recvmmsg never truncates
        config.setMaxDatagramPayloadSize(MAX_DATAGRAM);
        config.setRecvByteBufAllocator(new FixedRecvByteBufAllocator(RECEIVE_BATCH * MAX_DATAGRAM)
                .maxMessagesPerRead(MAX_MESSAGES_PER_READ));
        config.setUdpGro(false);
        config.setWriteBufferWaterMark(new WriteBufferWaterMark(8 * socketBufferBytes, 16 * socketBufferBytes));
        setBufferSizes(ch);
        if (fwmark != 0) {
            setMark(ch, fwmark);
        }
        appliedMark = fwmark;
        ch.pipeline().addLast(new ReceiveHandler());
        await(loop.register(ch), "register the UDP socket");
        await(ch.bind(local), "bind UDP port " + local.getPort());
        return ch;
    }

    /** SO_*BUFFORCE passes net.core.[rw]mem_max but needs CAP_NET_ADMIN; without it the plain options cap there. */
    private void setBufferSizes(EpollDatagramChannel ch) {
        var config = ch.config();
        try {
            config.setOption(SO_RCVBUFFORCE, socketBufferBytes);
            config.setOption(SO_SNDBUFFORCE, socketBufferBytes);
        } catch (ChannelException notPermitted) {
            config.setOption(ChannelOption.SO_RCVBUF, socketBufferBytes);
            config.setOption(ChannelOption.SO_SNDBUF, socketBufferBytes);
        }
    }

    private static void setMark(EpollDatagramChannel ch, int mark) throws IOException {
        try {
            ch.config().setOption(SO_MARK, mark);
        } catch (ChannelException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new IOException("cannot set SO_MARK " + mark + " (needs CAP_NET_ADMIN or CAP_NET_RAW): " + why.getMessage(), why);
        }
    }

    private static void await(ChannelFuture future, String what) throws IOException {
        if (!future.awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS)) {
            throw new IOException("timed out: " + what);
        }
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            throw cause instanceof IOException io ? io : new IOException("cannot " + what + ": " + cause, cause);
        }
    }

    @Override
    public int port() {
        return port;
    }

    /** The name of the event loop thread (while open). */
    String threadName() {
        return threadName;
    }

    /** True when the socket carries IPv6 as well as IPv4 (false after falling back to IPv4 only). */
    public boolean dualStack() {
        return dualStack;
    }

    /** The kernel's SO_RCVBUF for the open socket (twice what was set), 0 when closed. */
    public int receiveBufferSize() {
        EpollDatagramChannel ch = channel;
        return ch == null ? 0 : ch.config().getReceiveBufferSize();
    }

    /** The kernel's SO_SNDBUF for the open socket (twice what was set), 0 when closed. */
    public int sendBufferSize() {
        EpollDatagramChannel ch = channel;
        return ch == null ? 0 : ch.config().getSendBufferSize();
    }

    /** The socket's SO_MARK as the kernel reports it, 0 when closed. */
    public int socketMark() {
        EpollDatagramChannel ch = channel;
        return ch == null ? 0 : ch.config().getOption(SO_MARK);
    }

    @Override
    public synchronized void fwmark(int mark) throws IOException {
        EpollDatagramChannel ch = channel;
        if (ch != null && mark != appliedMark) {
            setMark(ch, mark);
            appliedMark = mark;
        }
        fwmark = mark;
    }

    @Override
    public void send(ByteBuffer packet, InetSocketAddress destination) {
        EpollDatagramChannel ch = channel;
        EventLoop l = loop;
        int length = packet.remaining();
        if (ch == null || l == null || length > MAX_DATAGRAM || destination.isUnresolved()
                || !dualStack && destination.getAddress() instanceof Inet6Address) {
            sendErrors.increment();
            return;
        }
        if (l.inEventLoop()) {
            sent.increment();
            writeOnLoop(ch, outbound.take(length).fill(packet, destination));
            return;
        }
        DirectSocket socket = direct;
        if (socket != null && sendQueue.isEmpty()) {
            switch (socket.send(packet, destination)) {
                case 0 -> {
                    sent.increment();
                    return;
                }
                case DirectSocket.FAILED -> {
                    // unreachable, refused by a firewall, too large for the path: as Netty would fail
                    sendErrors.increment();
                    return;
                }
                default -> {
                    // AGAIN (socket buffer full) or CLOSED (reopening): the queue waits for the loop
                }
            }
        }
        DatagramPacket datagram = outbound.take(length).fill(packet, destination);
        sent.increment();
        queued.increment();
        if (!sendQueue.offer(datagram) && !offerWhenDrained(datagram)) {
            datagram.release();
            sendErrors.increment();
        }
    }

    /**
     * The queue is full: the sender outruns the socket. Push back on the sending thread (the
     * device's TUN reader, so the TUN queue absorbs the burst) for up to {@value #FULL_QUEUE_WAIT_NANOS} ns
     * while the event loop drains, rather than drop at once.
     */
    private boolean offerWhenDrained(DatagramPacket datagram) {
        long deadline = System.nanoTime() + FULL_QUEUE_WAIT_NANOS;
        do {
            flush();
            LockSupport.parkNanos(FULL_QUEUE_PARK_NANOS);
            if (sendQueue.offer(datagram)) {
                return true;
            }
        } while (System.nanoTime() - deadline < 0 && channel != null);
        return false;
    }

    @Override
    public void flush() {
        EventLoop l = loop;
        if (l == null) {
            return;
        }
        if (l.inEventLoop()) {
            drain();
        } else if (!sendQueue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            try {
                l.execute(drainTask);
            } catch (RuntimeException rejected) {
                // the loop is shutting down: close() releases what is queued
                drainScheduled.set(false);
            }
        }
    }

    /** Event loop: writes what other threads queued, then flushes everything written. */
    private void drain() {
        drainScheduled.set(false);
        EpollDatagramChannel ch = channel;
        DatagramPacket datagram;
        while ((datagram = sendQueue.poll()) != null) {
            if (ch == null || !ch.isActive()) {
                datagram.release();
                sendErrors.increment();
            } else {
                writeOnLoop(ch, datagram);
            }
        }
        if (ch != null) {
            flushOnLoop(ch);
        }
    }

    private void writeOnLoop(EpollDatagramChannel ch, DatagramPacket datagram) {
        if (!ch.isWritable()) {
            // the socket is not taking data and Netty holds more than the water mark: drop, as a full qdisc does
            datagram.release();
            sendErrors.increment();
            return;
        }
        ch.write(datagram, ch.voidPromise());
        if (++unflushedOnLoop >= WRITES_PER_FLUSH) {
            flushOnLoop(ch);
        }
    }

    private void flushOnLoop(EpollDatagramChannel ch) {
        if (unflushedOnLoop == 0) {
            return;
        }
        unflushedOnLoop = 0;
        flushing = true;
        try {
            ch.flush();
        } finally {
            flushing = false;
        }
    }

    /**
     * Closes the socket, stops the event loop and waits (at most a few seconds) for its thread to
     * end. Called from the receiver (on the loop) it cannot wait: the loop ends right after.
     */
    @Override
    public void close() {
        MultiThreadIoEventLoopGroup g;
        boolean onLoop;
        synchronized (this) {
            EventLoop l = loop;
            onLoop = l != null && l.inEventLoop();
            closeChannel();
            g = group;
            group = null;
            loop = null;
        }
        if (g == null) {
            return;
        }
        var terminated = g.shutdownGracefully(0, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (onLoop) {
            return;
        }
        terminated.awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
        for (Thread t : loopThreads) {
            try {
                t.join(CLOSE_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            loopThreads.remove(t);
        }
        releaseQueued();
    }

    /** Closes the current channel (waiting, bounded) and forgets it; the loop stays. Holds {@code this}. */
    private void closeChannel() {
        EpollDatagramChannel ch = channel;
        DirectSocket socket = direct;
        channel = null;
        direct = null;
        port = 0;
        if (socket != null) {
            // no direct send may still run on the fd when the channel closes it
            socket.close(TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MILLIS));
        }
        if (ch != null) {
            ChannelFuture closed = ch.close();
            if (!ch.eventLoop().inEventLoop()) {
                closed.awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
            }
        }
    }

    private void releaseQueued() {
        DatagramPacket datagram;
        while ((datagram = sendQueue.poll()) != null) {
            datagram.release();
            sendErrors.increment();
        }
    }

    /** Datagrams accepted by {@link #send} (they may still fail later). */
    public long sent() {
        return sent.sum();
    }

    /**
     * Datagrams that went through the event loop's queue rather than straight to the socket: sent
     * from another thread while the socket buffer was full or the queue not empty.
     */
    public long queuedSends() {
        return queued.sum();
    }

    /** Datagrams handed to the receiver. */
    public long received() {
        return received.sum();
    }

    /**
     * Datagrams that could not be sent: bind closed, too large, unresolved or unreachable
     * destination, queue full, socket failure.
     */
    public long sendErrors() {
        return sendErrors.sum();
    }

    /** Socket read failures and exceptions thrown by the receiver. */
    public long receiveErrors() {
        return receiveErrors.sum();
    }

    /** Receive buffers made since the bind was created: a few, however many reads there were. */
    long receiveBuffersCreated() {
        return receiveBuffers.created();
    }

    @Override
    public String toString() {
        return "NettyBind(" + threadName + ", port " + port + ")";
    }

    /** Hands received datagrams to the receiver and counts failures; one per channel, on its loop. */
    private final class ReceiveHandler extends ChannelInboundHandlerAdapter {

        /**
         * A view of the whole receive buffer the current batch's datagrams are slices of, made once
         * per batch: asking each slice for its NIO buffer would allocate one per datagram.
         */
        private ByteBuf viewRoot;
        private long viewAddress;
        private ByteBuffer view;

        private ByteBuffer view(ByteBuf content) {
            ByteBuf root = content.unwrap() != null ? content.unwrap() : content;
            if (!content.hasMemoryAddress() || !root.hasMemoryAddress()) {
                return content.nioBuffer();
            }
            long base = root.memoryAddress();
            if (root != viewRoot || base != viewAddress || view.capacity() != root.capacity()) {
                view = root.nioBuffer(0, root.capacity());
                viewRoot = root;
                viewAddress = base;
            }
            long offset = content.memoryAddress() + content.readerIndex() - base;
            int length = content.readableBytes();
            if (offset < 0 || offset + length > view.capacity()) {
                return content.nioBuffer();
            }
            view.clear();
            view.position((int) offset).limit((int) offset + length);
            return view;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket datagram = (DatagramPacket) msg;
            try {
                Receiver r = receiver;
                if (r == null || ctx.channel() != channel) {
                    return;
                }
                ByteBuffer bytes = view(datagram.content());
                received.increment();
                // Netty reports IPv4 peers of the dual-stack socket as Inet4Address, not ::ffff: mapped
                r.receive(bytes, datagram.sender());
            } catch (RuntimeException e) {
                receiveErrors.increment();
                LOG.log(Level.DEBUG, "receiver failed", e);
            } finally {
                datagram.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            EpollDatagramChannel ch = channel;
            if (ch != ctx.channel()) {
                return;
            }
            Receiver r = receiver;
            if (r != null) {
                try {
                    r.batchEnd();
                } catch (RuntimeException e) {
                    receiveErrors.increment();
                    LOG.log(Level.DEBUG, "receiver failed", e);
                }
            }
            flushOnLoop(ch);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (flushing) {
                sendErrors.increment();
            } else {
                receiveErrors.increment();
            }
            LOG.log(Level.DEBUG, "UDP socket error: {0}", cause.toString());
        }
    }
}
