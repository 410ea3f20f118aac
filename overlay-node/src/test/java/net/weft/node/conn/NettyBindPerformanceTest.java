package net.weft.node.conn;

import static net.weft.node.conn.NettyBindTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rough numbers for the NettyBind on loopback: bytes allocated per datagram (sending thread and
 * event loops) and receive rate. Bounds are loose (this runs beside other builds); the printed
 * figures are the point.
 */
class NettyBindPerformanceTest {

    private static final int SIZE = 1452;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void epoll() throws IOException {
        NettyBind.checkAvailable();
    }

    @Test
    void sendingAllocatesAlmostNothingPerDatagram() throws Exception {
        try (NettyBind a = new NettyBind(); NettyBind b = new NettyBind()) {
            AtomicLong got = new AtomicLong();
            a.open(0, (p, s) -> { });
            int pb = b.open(0, (p, s) -> got.incrementAndGet());
            InetSocketAddress toB = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), pb);
            ByteBuffer payload = ByteBuffer.allocateDirect(SIZE);
            long window = NettyBindTest.window(b, SIZE);

            sendPaced(a, payload, toB, got, 20_000, window); // warm up pools and JIT
            long senderLoop = threadId(a.threadName());
            long receiverLoop = threadId(b.threadName());
            long count = 100_000;
            long mine = THREADS.getCurrentThreadAllocatedBytes();
            long senderLoopBytes = THREADS.getThreadAllocatedBytes(senderLoop);
            long receiverLoopBytes = THREADS.getThreadAllocatedBytes(receiverLoop);
            sendPaced(a, payload, toB, got, count, window);
            double perSend = (double) (THREADS.getCurrentThreadAllocatedBytes() - mine) / count;
            double perLoopSend = (double) (THREADS.getThreadAllocatedBytes(senderLoop) - senderLoopBytes) / count;
            double perReceive = (double) (THREADS.getThreadAllocatedBytes(receiverLoop) - receiverLoopBytes) / count;
            System.out.printf("allocated per %d-byte datagram over %d: sending thread %.1f B (send+flush), "
                    + "sender event loop %.1f B, receiver event loop %.1f B%n", SIZE, count, perSend, perLoopSend, perReceive);
            assertThat(perSend).isLessThan(128);
            assertThat(a.sendErrors()).isZero();
        }
    }

    @Test
    void receiveRateOnLoopback() throws Exception {
        try (NettyBind a = new NettyBind(); NettyBind b = new NettyBind()) {
            AtomicLong got = new AtomicLong();
            a.open(0, (p, s) -> { });
            int pb = b.open(0, (p, s) -> got.incrementAndGet());
            InetSocketAddress toB = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), pb);
            ByteBuffer payload = ByteBuffer.allocateDirect(SIZE);
            long window = NettyBindTest.window(b, SIZE);
            sendPaced(a, payload, toB, got, 50_000, window);

            // paced: never more in flight than the receive buffer holds, so nothing is lost
            long count = 300_000;
            long t0 = System.nanoTime();
            sendPaced(a, payload, toB, got, count, window);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double paced = count / seconds;

            // unpaced: one thread sends as fast as it can; the receiver drops what overflows
            long before = got.get();
            long errorsBefore = a.sendErrors();
            long kernelDropsBefore = rcvbufErrors();
            long t1 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                a.send(payload, toB);
                if (i % 64 == 63) {
                    a.flush();
                }
            }
            a.flush();
            double sendSeconds = (System.nanoTime() - t1) / 1e9;
            // wait until nothing more arrives for 200 ms
            long last = -1;
            while (got.get() != last) {
                last = got.get();
                Thread.sleep(200);
            }
            long arrived = got.get() - before;
            System.out.printf("loopback %d-byte, one sender thread: paced %.0f datagrams/s (%.2f Gbit/s) loss-free; "
                    + "unpaced send %.0f/s, %d of %d arrived (%.1f%%, %.0f/s), %d dropped by the bind, %d by the kernel%n",
                    SIZE, paced, paced * SIZE * 8 / 1e9, count / sendSeconds, arrived, count, 100.0 * arrived / count,
                    arrived / sendSeconds, a.sendErrors() - errorsBefore, rcvbufErrors() - kernelDropsBefore);
            assertThat(paced).isGreaterThan(10_000);
        }
    }

    /**
     * Sends {@code count} datagrams in flushes of 64, waiting whenever more than {@code window} of
     * all that {@code a} sent have not reached the receiver yet; returns once all arrived.
     */
    private static void sendPaced(NettyBind a, ByteBuffer payload, InetSocketAddress to, AtomicLong got, long count, long window)
            throws InterruptedException {
        long sent = 0;
        while (sent < count) {
            int burst = (int) Math.min(64, count - sent);
            for (int i = 0; i < burst; i++) {
                a.send(payload, to);
            }
            a.flush();
            sent += burst;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (a.sent() - got.get() > window) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("datagrams lost: sent " + a.sent() + ", received " + got.get() + ", " + udpCounters());
                }
                Thread.onSpinWait();
            }
        }
        awaitTrue(() -> got.get() == a.sent(), () -> "sent " + a.sent() + ", received " + got.get() + ", " + udpCounters());
    }

    /** UDP RcvbufErrors of the whole host (other processes may add to it). */
    static long rcvbufErrors() {
        String[] values = udpCounters().trim().split("\\s+");
        return values.length > 5 ? Long.parseLong(values[5]) : -1;
    }

    static String udpCounters() {
        try {
            var lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp"));
            return lines.stream().filter(l -> l.startsWith("Udp:")).skip(1).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElseThrow().threadId();
    }
}
