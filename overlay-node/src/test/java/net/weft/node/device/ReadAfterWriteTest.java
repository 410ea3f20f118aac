package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.B4;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.weft.crypto.key.PrivateKey;
import net.weft.node.conn.InMemoryBind;
import net.weft.node.conn.InMemoryNetwork;
import net.weft.node.tun.Tun;
import net.weft.node.tun.TunPair;
import org.junit.jupiter.api.Test;

/**
 * When the kernel answers a packet while the device writes it (an echo reply, a TCP ack), the
 * receive thread reads and sends the answer itself if the TUN reader is idle: the answers all come
 * back, in order, and the counter tells how many took the short way. B's TUN here answers the way
 * the kernel does, inside the write.
 */
class ReadAfterWriteTest {

    /** A TUN whose host side answers every packet at once, inside the write: addresses swapped. */
    static final class EchoTun implements Tun {
        private final ArrayDeque<byte[]> answers = new ArrayDeque<>();
        private boolean closed;
        /** Reads made by a thread other than the device's TUN reader. */
        final AtomicLong readsByOthers = new AtomicLong();

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public int mtu() {
            return 1420;
        }

        @Override
        public synchronized int tryRead(ByteBuffer dst) {
            if (closed) {
                return -1;
            }
            byte[] p = answers.poll();
            if (p == null) {
                return 0;
            }
            if (!Thread.currentThread().getName().endsWith("tun-reader")) {
                readsByOthers.incrementAndGet();
            }
            dst.put(p);
            return p.length;
        }

        @Override
        public synchronized boolean awaitReadable() throws IOException {
            try {
                while (answers.isEmpty() && !closed) {
                    wait(500);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return !closed;
        }

        @Override
        public synchronized void write(ByteBuffer src) {
            byte[] p = new byte[src.remaining()];
            src.get(p);
            byte[] source = Arrays.copyOfRange(p, 12, 16);
            System.arraycopy(p, 16, p, 12, 4);
            System.arraycopy(source, 0, p, 16, 4);
            answers.add(p);
            notifyAll();
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }
    }

    private static final int COUNT = 300;

    @Test
    void answersTheKernelQueuedDuringTheWriteLeaveOnTheReceiveThreadAndAllArriveInOrder() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        InetSocketAddress epA = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 51820);
        InetSocketAddress epB = new InetSocketAddress(InetAddress.getByName("198.51.100.2"), 51820);
        InMemoryBind bindA = network.bind(epA);
        InMemoryBind bindB = network.bind(epB);
        PrivateKey keyA = PrivateKey.generate(new SecureRandom());
        PrivateKey keyB = PrivateKey.generate(new SecureRandom());
        EchoTun echo = new EchoTun();
        DeviceOptions options = DeviceOptions.defaults().withLoggerName("test.read-after-write");
        try (TunPair tunA = TunPair.create("wga", 1420, 8 << 20);
             Device a = new Device(tunA.device(), bindA, options);
             Device b = new Device(echo, bindB, options)) {
            a.apply(TwoDevices.update(keyA, TwoDevices.peer(keyB.publicKey(), epB, B4 + "/32")));
            b.apply(TwoDevices.update(keyB, TwoDevices.peer(keyA.publicKey(), epA, A4 + "/32")));
            a.start();
            b.start();
            ByteBuffer in = ByteBuffer.allocate(65535);
            // one at a time, as ping does: B's reader is idle whenever a packet arrives
            for (int i = 0; i < COUNT; i++) {
                byte[] request = IpPackets.ipv4(A4, B4, i % 2 == 0 ? 56 : 1300, i);
                tunA.host().write(ByteBuffer.wrap(request));
                assertThat(readWithin(tunA, in)).as("answer %d", i)
                        .isEqualTo(IpPackets.ipv4(B4, A4, i % 2 == 0 ? 56 : 1300, i));
            }
            long shortWay = b.counters().readsAfterWrite();
            assertThat(shortWay).as("answers the receive thread sent").isPositive().isLessThanOrEqualTo(COUNT);
            assertThat(shortWay).as("the counter matches the reads the TUN saw").isEqualTo(echo.readsByOthers.get());
            // a burst: reader and receive thread both busy, order and count still kept
            for (int i = 0; i < COUNT; i++) {
                tunA.host().write(ByteBuffer.wrap(IpPackets.ipv4(A4, B4, 100 + i % 7 * 150, i)));
            }
            for (int i = 0; i < COUNT; i++) {
                assertThat(readWithin(tunA, in)).as("burst answer %d", i)
                        .isEqualTo(IpPackets.ipv4(B4, A4, 100 + i % 7 * 150, i));
            }
            assertThat(a.counters().dropsTotal()).isZero();
            assertThat(b.counters().dropsTotal()).isZero();
        }
    }

    private static byte[] readWithin(TunPair tun, ByteBuffer in) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tun.host().pending() == 0) {
            assertThat(System.nanoTime() - deadline).as("an answer within 10 s").isNegative();
            Thread.sleep(0, 100_000);
        }
        int n = tun.host().read(in.clear());
        return Arrays.copyOf(in.array(), n);
    }
}
