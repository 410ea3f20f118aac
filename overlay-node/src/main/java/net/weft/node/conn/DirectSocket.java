package net.weft.node.conn;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A Netty channel's UDP socket written with sendto(2) straight from the calling thread, so that a
 * sender other than the event loop needs no hand-off (a queue, an eventfd wake-up and a context
 * switch per burst). Linux lets any number of threads send on one UDP socket at once, Netty's
 * event loop included.
 *
 * <p>The call is non-blocking ({@code MSG_DONTWAIT}); a full socket buffer answers {@link #AGAIN}
 * and the caller falls back to its queued path. Nothing is allocated per datagram: each thread
 * copies the payload into its own direct buffer and encodes the destination into its own
 * {@code sockaddr}, re-encoded only when the destination changes.
 *
 * <p>The fd belongs to the channel. {@link #close} marks this closed and waits for sends in
 * progress to leave before the caller closes the channel, so that no send ever runs on an fd
 * number that was closed and maybe reused.
 */
@SuppressWarnings("restricted")
final class DirectSocket {

    /** {@link #send} results besides 0 (sent). */
    static final int CLOSED = -1;
    static final int AGAIN = -2;
    static final int FAILED = -3;

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_IN6_SIZE = 28;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    /** sendto(fd, buf, len, flags, addr, addrlen) with raw addresses: a call builds no MemorySegment. */
    private static final MethodHandle SENDTO = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("sendto"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT),
            Linker.Option.captureCallState("errno"));

    /** The calling thread's buffers; see {@link PerThread}. */
    private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(PerThread::new);

    private static final int CLOSED_BIT = 1 << 30;

    private final int fd;
    /** True for a dual-stack AF_INET6 socket (IPv4 destinations go as {@code ::ffff:} mapped). */
    private final boolean inet6;
    /** Sends in progress (low bits) and {@link #CLOSED_BIT}. */
    private final AtomicInteger users = new AtomicInteger();

    DirectSocket(int fd, boolean inet6) {
        this.fd = fd;
        this.inet6 = inet6;
    }

    /**
     * Sends the bytes between {@code packet}'s position and limit (at most 65535; the buffer's
     * position and limit are left as they were) to {@code destination}, a resolved address the
     * socket's family can reach. Returns 0 when the kernel took the datagram, {@link #AGAIN} when
     * the socket buffer is full, {@link #CLOSED}, or {@link #FAILED} for any other error.
     */
    int send(ByteBuffer packet, InetSocketAddress destination) {
        if ((users.getAndIncrement() & CLOSED_BIT) != 0) {
            users.decrementAndGet();
            return CLOSED;
        }
        try {
            PerThread t = PER_THREAD.get();
            int length = packet.remaining();
            t.payload.put(0, packet, packet.position(), length);
            int addressLength = t.encode(destination, inet6);
            while (true) {
                long n = (long) SENDTO.invokeExact(t.callState, fd, t.payloadAddress, (long) length, MSG_DONTWAIT,
                        t.sockaddrAddress, addressLength);
                if (n >= 0) {
                    return 0;
                }
                int errno = (int) ERRNO.get(t.callState, 0L);
                if (errno == EINTR) {
                    continue;
                }
                return errno == EAGAIN || errno == ENOBUFS ? AGAIN : FAILED;
            }
        } catch (Throwable e) {
            if (e instanceof Error error) {
                throw error;
            }
            return FAILED;
        } finally {
            users.decrementAndGet();
        }
    }

    /**
     * Refuses further sends and waits (at most {@code timeoutNanos}; sends never block, so they
     * leave within microseconds) for those in progress. The caller closes the fd afterwards.
     */
    void close(long timeoutNanos) {
        users.getAndUpdate(u -> u | CLOSED_BIT);
        long deadline = System.nanoTime() + timeoutNanos;
        while (users.get() != CLOSED_BIT && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000);
        }
    }

    /**
     * One thread's native memory: the errno capture, a direct copy of the payload (sendto reads
     * native memory) and the encoded destination with the address it encodes. Owned by that
     * thread; lives as long as the thread (freed by the GC).
     */
    private static final class PerThread {
        final MemorySegment callState;
        final ByteBuffer payload = ByteBuffer.allocateDirect(NettyBind.MAX_DATAGRAM);
        final long payloadAddress = MemorySegment.ofBuffer(payload).address();
        final MemorySegment sockaddr;
        final long sockaddrAddress;
        private InetSocketAddress encoded;
        private boolean encodedInet6;
        private int encodedLength;

        PerThread() {
            Arena arena = Arena.ofAuto();
            callState = arena.allocate(CALL_STATE);
            sockaddr = arena.allocate(SOCKADDR_IN6_SIZE, 8);
            sockaddrAddress = sockaddr.address();
        }

        /** Encodes {@code destination} for a socket of the given family, unless it is already; returns the length. */
        int encode(InetSocketAddress destination, boolean inet6) {
            if (destination == encoded && inet6 == encodedInet6
                    || inet6 == encodedInet6 && destination.equals(encoded)) {
                return encodedLength;
            }
            InetAddress address = destination.getAddress();
            byte[] raw = address.getAddress();
            sockaddr.fill((byte) 0);
            // sa_family in host order, the port in network order
            sockaddr.set(JAVA_SHORT, 0, (short) (inet6 ? AF_INET6 : AF_INET));
            sockaddr.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) destination.getPort());
            if (!inet6) {
                MemorySegment.copy(raw, 0, sockaddr, JAVA_BYTE, 4, 4);
                encodedLength = SOCKADDR_IN_SIZE;
            } else {
                // sin6_flowinfo (4 bytes) stays 0; sin6_addr at 8; sin6_scope_id at 24
                if (address instanceof Inet4Address) {
                    sockaddr.set(JAVA_BYTE, 18, (byte) 0xff);
                    sockaddr.set(JAVA_BYTE, 19, (byte) 0xff);
                    MemorySegment.copy(raw, 0, sockaddr, JAVA_BYTE, 20, 4);
                } else {
                    MemorySegment.copy(raw, 0, sockaddr, JAVA_BYTE, 8, 16);
                    sockaddr.set(JAVA_INT, 24, ((Inet6Address) address).getScopeId());
                }
                encodedLength = SOCKADDR_IN6_SIZE;
            }
            encoded = destination;
            encodedInet6 = inet6;
            return encodedLength;
        }
    }
}
