package net.weft.node.tun;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A Linux TUN interface ({@code IFF_TUN|IFF_NO_PI}) reached through the FFM API.
 *
 * <p>The fd is non-blocking. {@link #awaitReadable} polls it together with an eventfd that
 * {@link #close} signals, so a blocked read returns -1 as soon as the device is closed, and returns -1 too once the
 * interface is deleted ({@code ip link del}: poll reports {@code POLLERR} and read(2) fails with
 * {@code EBADFD}). Reads and writes move bytes straight between the fd and the caller's direct
 * buffer, allocating nothing per packet ({@link BufferAddresses}); heap buffers work too, copied
 * through a per-thread direct buffer.
 *
 * <p>Buffers passed to {@link #read} should have {@link Tun#MAX_PACKET} bytes of room: the kernel
 * hands out whole packets of up to the MTU, which {@code ip link set mtu} may raise to 64 KiB at
 * any time. A packet that did not fit is dropped and counted ({@link #truncatedPackets()}), never
 * returned cut short.
 *
 * <p>Closing the device closes the fd, which removes the (non-persistent) interface.
 */
public final class LinuxTun implements Tun {

    private static final String CLONE_DEVICE = "/dev/net/tun";
    /** {@code _IOW('T', 202, int)}. */
    private static final long TUNSETIFF = 0x400454caL;
    private static final long SIOCGIFMTU = 0x8921L;
    private static final long SIOCSIFMTU = 0x8922L;
    private static final long SIOCGIFFLAGS = 0x8913L;
    private static final long SIOCSIFFLAGS = 0x8914L;
    private static final short IFF_UP = 0x0001;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    /** {@code struct ifreq}: a 16-byte name then a 24-byte union (flags or MTU at offset 16). */
    private static final int IFNAMSIZ = 16;
    private static final long IFREQ_SIZE = 40;
    private static final long IFREQ_UNION = 16;

    /** The longest a read sleeps in poll(2) before it checks again whether the device closed. */
    static final int POLL_TIMEOUT_MILLIS = 500;
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(10);
    /** How long close waits for calls in progress to leave before it leaves the fds to them. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final long CLOSE_WAIT_STEP_NANOS = 20_000;

    /** Set in {@link #users} once the device is closed; the lower bits count calls in progress. */
    private static final int CLOSED = 1 << 30;

    private final String name;
    /** A socket pair's fixed MTU; 0 for an interface, whose MTU the kernel tells. */
    private final int fixedMtu;
    private final int fd;
    /** An eventfd that {@link #close} makes readable, so that a read blocked in poll wakes at once. */
    private final int wakeFd;
    /** An AF_INET datagram socket in the interface's namespace, for SIOCGIFMTU. */
    private final int controlFd;

    /**
     * Calls in progress (low bits) and the {@link #CLOSED} bit. The fds are closed by whoever
     * leaves last after the bit is set (normally {@link #close}, which waits for the others), so no
     * call ever runs on an fd number that was closed and maybe reused by another open.
     */
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set while a read runs: reads never overlap. */
    private final AtomicBoolean reading = new AtomicBoolean();
    /** Set while a thread waits in poll: guards {@link #pollFds} against a second waiter. */
    private final AtomicBoolean polling = new AtomicBoolean();

    /** The pollfd pair {tun fd, wake fd}; only the reader uses it. */
    private final MemorySegment pollFds;
    /** The ifreq that {@link #mtu} hands to ioctl; guarded by itself. */
    private final MemorySegment mtuRequest;
    /** The 8-byte counter value {@link #close} writes to the eventfd. */
    private final MemorySegment wakeValue;

    private final AtomicLong truncated = new AtomicLong();

    private LinuxTun(String name, int fd, int wakeFd, int controlFd) {
        this(name, 0, fd, wakeFd, controlFd);
    }

    private LinuxTun(String name, int fixedMtu, int fd, int wakeFd, int controlFd) {
        this.name = name;
        this.fixedMtu = fixedMtu;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.controlFd = controlFd;
        // The segments live as long as this object: they are freed by the GC, never explicitly, so
        // a late call can never touch freed memory.
        Arena arena = Arena.ofAuto();
        this.pollFds = arena.allocate(2 * Libc.POLLFD_SIZE, 8);
        pollFds.set(JAVA_INT, 0, fd);
        pollFds.set(JAVA_SHORT, 4, Libc.POLLIN);
        pollFds.set(JAVA_INT, Libc.POLLFD_SIZE, wakeFd);
        pollFds.set(JAVA_SHORT, Libc.POLLFD_SIZE + 4, Libc.POLLIN);
        this.mtuRequest = arena.allocate(IFREQ_SIZE, 8);
        mtuRequest.setString(0, name, StandardCharsets.US_ASCII);
        this.wakeValue = arena.allocate(JAVA_LONG);
        wakeValue.set(JAVA_LONG, 0, 1L);
    }

    /**
     * Creates a TUN interface in the caller's network namespace. {@code name} may hold a
     * {@code %d} for the kernel to fill in (e.g. {@code wg%d}); {@link #name()} tells the result.
     * An empty name lets the kernel choose ({@code tun0}, ...). Needs CAP_NET_ADMIN.
     */
    public static LinuxTun create(String name) throws IOException {
        return open(checkName(name));
    }

    /**
     * Creates a TUN interface inside the network namespace at {@code netns} (e.g.
     * {@code /var/run/netns/NAME}). The interface is made on a short-lived platform thread that
     * first joins that namespace with setns(2), which affects only that thread; the fd stays bound
     * to the interface in that namespace after the thread ends, and the calling thread's namespace
     * is untouched. Needs CAP_SYS_ADMIN and CAP_NET_ADMIN.
     */
    public static LinuxTun create(String name, Path netns) throws IOException {
        String checked = checkName(name);
        String nsPath = netns.toString();
        FutureTask<LinuxTun> task = new FutureTask<>(() -> {
            joinNamespace(nsPath);
            return open(checked);
        });
        Thread thread = Thread.ofPlatform().name("weft-tun-setns").daemon().unstarted(task);
        thread.start();
        try {
            LinuxTun tun = task.get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            thread.join(CREATE_TIMEOUT);
            return tun;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("creating " + name + " in " + netns + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("creating " + name + " in " + netns + " took over " + CREATE_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while creating " + name);
        }
    }

    private static String checkName(String name) {
        boolean valid = name.length() < IFNAMSIZ
                && StandardCharsets.US_ASCII.newEncoder().canEncode(name)
                && name.chars().noneMatch(c -> c == '/' || c == ':' || c <= ' ' || c == 0x7f);
        if (!valid) {
            throw new IllegalArgumentException("not an interface name (ASCII, at most 15 bytes): " + name);
        }
        return name;
    }

    /** The two ends of a {@link #socketPair}: one for a device, one for whoever plays the host. */
    public record Pair(LinuxTun device, LinuxTun host) implements AutoCloseable {
        @Override
        public void close() {
            device.close();
            host.close();
        }
    }

    /**
     * Two connected ends that behave as a TUN and its host side, without an interface: a
     * {@code SOCK_SEQPACKET} Unix socket pair, where each write is one packet and each read returns
     * one, through the same calls (read, write, poll) as a TUN. {@link #mtu} reports {@code mtu};
     * {@link #setMtu} is refused. Needs no privilege; nothing outside the process sees it. Used to
     * run the packet path with no network at all (the JIT warm-up).
     */
    public static Pair socketPair(String name, int mtu) throws IOException {
        if (mtu < 68 || mtu > MAX_PACKET) {
            throw new IllegalArgumentException("MTU must be within 68.." + MAX_PACKET + ": " + mtu);
        }
        MemorySegment state = Libc.callState();
        int[] fds = {-1, -1};
        int[] wake = {-1, -1};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sv = arena.allocate(JAVA_INT, 2);
            if (Libc.socketpair(state, Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, sv) < 0) {
                throw Libc.error("socketpair", Libc.errno(state));
            }
            fds[0] = sv.getAtIndex(JAVA_INT, 0);
            fds[1] = sv.getAtIndex(JAVA_INT, 1);
            for (int i = 0; i < 2; i++) {
                wake[i] = Libc.eventfd(state, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
                if (wake[i] < 0) {
                    throw Libc.error("eventfd", Libc.errno(state));
                }
            }
            return new Pair(new LinuxTun(name, mtu, fds[0], wake[0], -1), new LinuxTun(name + "-host", mtu, fds[1], wake[1], -1));
        } catch (IOException | RuntimeException | Error e) {
            for (int fd : new int[] {fds[0], fds[1], wake[0], wake[1]}) {
                Libc.closeQuietly(fd);
            }
            throw e;
        }
    }

    /**
     * Moves the calling thread (only) into a new network namespace of its own, with its loopback
     * up and nothing else. Sockets this thread opens afterwards, and threads it starts, live there:
     * they can take no port and reach no address of the host's. The namespace goes away with the
     * last thread and socket in it. Needs CAP_SYS_ADMIN.
     */
    public static void enterPrivateNetwork() throws IOException {
        MemorySegment state = Libc.callState();
        if (Libc.unshare(state, Libc.CLONE_NEWNET) < 0) {
            throw Libc.error("unshare(CLONE_NEWNET)", Libc.errno(state));
        }
        int socket = Libc.socket(state, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw Libc.error("socket", Libc.errno(state));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
            ifreq.setString(0, "lo", StandardCharsets.US_ASCII);
            if (Libc.ioctl(state, socket, SIOCGIFFLAGS, ifreq) < 0) {
                throw Libc.error("SIOCGIFFLAGS lo", Libc.errno(state));
            }
            ifreq.set(JAVA_SHORT, IFREQ_UNION, (short) (ifreq.get(JAVA_SHORT, IFREQ_UNION) | IFF_UP));
            if (Libc.ioctl(state, socket, SIOCSIFFLAGS, ifreq) < 0) {
                throw Libc.error("SIOCSIFFLAGS lo", Libc.errno(state));
            }
        } finally {
            Libc.closeQuietly(socket);
        }
    }

    /** Moves the calling thread (only) into the network namespace at {@code nsPath}. */
    static void joinNamespace(String nsPath) throws IOException {
        MemorySegment state = Libc.callState();
        try (Arena arena = Arena.ofConfined()) {
            int nsFd = Libc.open(state, arena.allocateFrom(nsPath), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (nsFd < 0) {
                throw Libc.error("open " + nsPath, Libc.errno(state));
            }
            try {
                if (Libc.setns(state, nsFd, Libc.CLONE_NEWNET) < 0) {
                    throw Libc.error("setns " + nsPath, Libc.errno(state));
                }
            } finally {
                Libc.closeQuietly(nsFd);
            }
        }
    }

    private static LinuxTun open(String requested) throws IOException {
        MemorySegment state = Libc.callState();
        int fd = -1;
        int wakeFd = -1;
        int controlFd = -1;
        try (Arena arena = Arena.ofConfined()) {
            fd = Libc.open(state, arena.allocateFrom(CLONE_DEVICE), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw Libc.error("open " + CLONE_DEVICE, Libc.errno(state));
            }
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
            ifreq.setString(0, requested, StandardCharsets.US_ASCII);
            ifreq.set(JAVA_SHORT, IFREQ_UNION, (short) (IFF_TUN | IFF_NO_PI));
            if (Libc.ioctl(state, fd, TUNSETIFF, ifreq) < 0) {
                int errno = Libc.errno(state);
                throw Libc.error("TUNSETIFF " + requested + (errno == Libc.EPERM ? " (needs CAP_NET_ADMIN)" : ""), errno);
            }
            String actual = ifreq.asSlice(0, IFNAMSIZ).getString(0, StandardCharsets.US_ASCII);

            wakeFd = Libc.eventfd(state, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw Libc.error("eventfd", Libc.errno(state));
            }
            controlFd = Libc.socket(state, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            if (controlFd < 0) {
                throw Libc.error("socket", Libc.errno(state));
            }
            return new LinuxTun(actual, fd, wakeFd, controlFd);
        } catch (IOException | RuntimeException | Error e) {
            Libc.closeQuietly(controlFd);
            Libc.closeQuietly(wakeFd);
            Libc.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Asks the kernel (SIOCGIFMTU on a socket in the interface's namespace): one ioctl, fine to
     * call every second. Fails with "No such device" once the interface is gone.
     */
    @Override
    public int mtu() throws IOException {
        if (!enter()) {
            throw new ClosedChannelException();
        }
        try {
            if (fixedMtu > 0) {
                return fixedMtu;
            }
            MemorySegment state = Libc.callState();
            synchronized (mtuRequest) {
                if (Libc.ioctl(state, controlFd, SIOCGIFMTU, mtuRequest) < 0) {
                    throw Libc.error("SIOCGIFMTU " + name, Libc.errno(state));
                }
                return mtuRequest.get(JAVA_INT, IFREQ_UNION);
            }
        } finally {
            exit();
        }
    }

    /** Sets the interface's MTU (SIOCSIFMTU), as {@code ip link set mtu} does. Needs CAP_NET_ADMIN. */
    public void setMtu(int mtu) throws IOException {
        if (mtu < 68 || mtu > MAX_PACKET) {
            throw new IllegalArgumentException("MTU must be within 68.." + MAX_PACKET + ": " + mtu);
        }
        if (!enter()) {
            throw new ClosedChannelException();
        }
        try {
            if (fixedMtu > 0) {
                throw new IOException(name + " is a socket pair, not an interface: its MTU is fixed");
            }
            MemorySegment state = Libc.callState();
            synchronized (mtuRequest) {
                mtuRequest.set(JAVA_INT, IFREQ_UNION, mtu);
                if (Libc.ioctl(state, controlFd, SIOCSIFMTU, mtuRequest) < 0) {
                    throw Libc.error("SIOCSIFMTU " + name, Libc.errno(state));
                }
            }
        } finally {
            exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only one thread reads at a time; a second concurrent reader gets an
     * {@link IllegalStateException}.
     */
    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int room = dst.remaining();
        if (room == 0) {
            throw new IllegalArgumentException("no room in the buffer");
        }
        if (!enter()) {
            return -1;
        }
        if (!reading.compareAndSet(false, true)) {
            exit();
            throw new IllegalStateException("another thread is reading " + name);
        }
        try {
            MemorySegment state = Libc.callState();
            BufferAddresses addresses = BufferAddresses.current();
            // a heap buffer is read through the thread's scratch buffer, then copied
            ByteBuffer target = dst.isDirect() ? dst : addresses.scratch();
            int offset = dst.isDirect() ? dst.position() : 0;
            int length = dst.isDirect() ? room : Math.min(room, MAX_PACKET);
            long address = (dst.isDirect() ? addresses.baseAddress(dst) : addresses.scratchAddress()) + offset;
            while (true) {
                if (isClosed()) {
                    return -1;
                }
                long n = Libc.read(state, fd, address, length);
                if (n == length && declaredLength(target, offset, length) > length) {
                    // the kernel copied what fitted, returned that much and dropped the rest
                    truncated.incrementAndGet();
                    continue;
                }
                if (n > 0) {
                    if (target != dst) {
                        dst.put(dst.position(), target, 0, (int) n);
                    }
                    dst.position(dst.position() + (int) n);
                    return (int) n;
                }
                if (n == 0 && fixedMtu > 0) {
                    return -1; // a socket pair's other end closed (a TUN never reads 0 bytes)
                }
                int errno = n == 0 ? Libc.EAGAIN : Libc.errno(state);
                switch (errno) {
                    case Libc.EAGAIN -> {
                        return 0;
                    }
                    case Libc.EINTR -> {
                    }
                    case Libc.EBADFD -> {
                        return -1;
                    }
                    default -> throw Libc.error("read " + name, errno);
                }
            }
        } finally {
            Reference.reachabilityFence(dst);
            reading.set(false);
            exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sleeps in poll(2) on the TUN fd and the close eventfd. Only one thread waits at a time; a
     * second gets an {@link IllegalStateException}.
     */
    @Override
    public boolean awaitReadable() throws IOException {
        if (!enter()) {
            return false;
        }
        if (!polling.compareAndSet(false, true)) {
            exit();
            throw new IllegalStateException("another thread is waiting on " + name);
        }
        try {
            return awaitReadable(Libc.callState());
        } finally {
            polling.set(false);
            exit();
        }
    }

    /**
     * The length the IP header at {@code offset} in {@code packet} declares, given that
     * {@code length} bytes are there; -1 when it declares none (too short, not IP, or an IPv6
     * jumbogram).
     */
    static int declaredLength(ByteBuffer packet, int offset, int length) {
        if (length < 1) {
            return -1;
        }
        int version = (packet.get(offset) & 0xff) >>> 4;
        if (version == 4 && length >= 4) {
            return (packet.get(offset + 2) & 0xff) << 8 | (packet.get(offset + 3) & 0xff);
        }
        if (version == 6 && length >= 6) {
            int payload = (packet.get(offset + 4) & 0xff) << 8 | (packet.get(offset + 5) & 0xff);
            return payload == 0 ? -1 : 40 + payload;
        }
        return -1;
    }

    /**
     * Sleeps in poll(2) until the tun fd has something to say or the device closes. Returns false
     * when the device closed; true when a read should be tried (a packet, or an error that read(2)
     * will name, such as the interface being gone).
     */
    private boolean awaitReadable(MemorySegment state) throws IOException {
        while (true) {
            if (isClosed()) {
                return false;
            }
            int ready = Libc.poll(state, pollFds, 2, POLL_TIMEOUT_MILLIS);
            if (ready < 0) {
                int errno = Libc.errno(state);
                if (errno == Libc.EINTR) {
                    continue;
                }
                throw Libc.error("poll " + name, errno);
            }
            if (ready == 0) {
                continue;
            }
            if (pollFds.get(JAVA_SHORT, Libc.POLLFD_SIZE + 6) != 0) {
                return false;
            }
            short events = pollFds.get(JAVA_SHORT, 6);
            if ((events & Libc.POLLNVAL) != 0) {
                return false;
            }
            if (events != 0) {
                return true;
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Any thread may write. Throws {@link ClosedChannelException} after {@link #close}, and an
     * {@link IOException} when the kernel refuses the packet (for example {@code EIO} while the
     * interface is down, {@code EINVAL} for an empty or malformed packet, {@code EBADFD} once the
     * interface is gone).
     */
    @Override
    public void write(ByteBuffer src) throws IOException {
        int length = src.remaining();
        if (!src.isDirect() && length > MAX_PACKET) {
            throw new IOException("write " + name + ": a packet of " + length + " bytes");
        }
        if (!enter()) {
            throw new ClosedChannelException();
        }
        try {
            MemorySegment state = Libc.callState();
            BufferAddresses addresses = BufferAddresses.current();
            long address;
            if (src.isDirect()) {
                address = addresses.baseAddress(src) + src.position();
            } else {
                addresses.scratch().put(0, src, src.position(), length);
                address = addresses.scratchAddress();
            }
            while (true) {
                long n = Libc.write(state, fd, address, length);
                if (n >= 0) {
                    // a TUN write takes the whole packet or nothing
                    src.position(src.limit());
                    return;
                }
                int errno = Libc.errno(state);
                switch (errno) {
                    case Libc.EINTR -> {
                    }
                    case Libc.EAGAIN -> awaitWritable();
                    default -> throw Libc.error("write " + name, errno);
                }
                if (isClosed()) {
                    throw new ClosedChannelException();
                }
            }
        } finally {
            Reference.reachabilityFence(src);
            exit();
        }
    }

    /** Rare: a TUN fd refuses a write only when its socket send buffer is full. */
    private void awaitWritable() throws IOException {
        MemorySegment state = Libc.callState();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollFd = arena.allocate(Libc.POLLFD_SIZE, 8);
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, Libc.POLLOUT);
            if (Libc.poll(state, pollFd, 1, POLL_TIMEOUT_MILLIS) < 0 && Libc.errno(state) != Libc.EINTR) {
                throw Libc.error("poll " + name, Libc.errno(state));
            }
        }
    }

    /** Packets dropped because they did not fit the buffer given to {@link #read}. */
    public long truncatedPackets() {
        return truncated.get();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Wakes a blocked reader, waits (briefly: they wake at once) for calls in progress to leave,
     * then closes the fd, which removes the interface; that takes the kernel some milliseconds, and
     * happens on this thread rather than the reader's.
     */
    @Override
    public void close() {
        if (!enter()) {
            return;
        }
        try {
            int current;
            do {
                current = users.get();
                if ((current & CLOSED) != 0) {
                    return;
                }
            } while (!users.compareAndSet(current, current | CLOSED));
            // Wake a reader sleeping in poll; the counter stays readable, so a reader about to
            // enter poll returns at once too.
            Libc.write(Libc.callState(), wakeFd, wakeValue.address(), 8);
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            while ((users.get() & ~CLOSED) > 1 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(CLOSE_WAIT_STEP_NANOS);
            }
        } finally {
            // the last one out closes the fds: this thread, unless a call is still running
            exit();
        }
    }

    private boolean isClosed() {
        return (users.get() & CLOSED) != 0;
    }

    private boolean enter() {
        if ((users.getAndIncrement() & CLOSED) != 0) {
            exit();
            return false;
        }
        return true;
    }

    private void exit() {
        if (users.decrementAndGet() == CLOSED && released.compareAndSet(false, true)) {
            Libc.closeQuietly(fd);
            Libc.closeQuietly(wakeFd);
            Libc.closeQuietly(controlFd);
        }
    }

    @Override
    public String toString() {
        return "LinuxTun[" + name + (isClosed() ? ", closed]" : "]");
    }
}
