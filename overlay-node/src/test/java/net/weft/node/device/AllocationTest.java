package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.B4;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import net.weft.node.conn.InMemoryNetwork;
import net.weft.node.device.TwoDevices.Node;
import org.junit.jupiter.api.Test;

/**
 * Steady-state forwarding allocates (about) nothing per packet on the threads that carry it: A's
 * TUN reader (route, seal, send) and B's receive thread (open, replay check, source check, TUN
 * write), and a relay's receive thread (open, checks, route, seal, send), measured with the JVM's
 * per-thread allocation counters over many batches after warm-up.
 */
class AllocationTest {

    static final int WARMUP = 20_000;
    static final int MEASURED = 20_000;
    static final int BATCH = 500;
    /**
     * Bytes per packet the device may add on each thread on top of what JCE itself allocates per
     * message. JCE's share is measured on this JVM first ({@link #jceBytesPerMessage}): on JDK 25
     * ChaCha20-Poly1305's {@code Cipher.init} builds a new AEAD engine, Poly1305 state and key
     * copies for every message, about 2.2 KB, which no caller can avoid. JCE's share varies by up to
     * about 150 bytes between call sites (how much of JCE the JIT inlines and escape-analyses), so
     * this bound is loose; the exact check is the JFR attribution below, which must find no
     * allocation made by the device's own code.
     */
    static final double DEVICE_BOUND_BYTES_PER_PACKET = 256;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void steadyStateForwardingAllocatesAboutNothingPerPacket() throws Exception {
        try (TwoDevices t = new TwoDevices(new InMemoryNetwork(), 0, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND)) {
            byte[] p = IpPackets.ipv4(A4, B4, 1380, 7);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            measure(t, p, thread("weft-wga-tun-reader"), thread("weft-inmem-198.51.100.2-51820"));
        }
    }

    /**
     * With crypto workers the sealing and opening move to {@code weft-wgX-crypto-N}; the reader and
     * the receive thread only route and copy. Measured on A's reader and B's receive thread again
     * (JCE's share is then on the workers), plus the workers' total.
     */
    @Test
    void withCryptoWorkersTheReaderAndReceiveThreadAllocateNothingPerPacket() throws Exception {
        try (TwoDevices t = new TwoDevices(new InMemoryNetwork(), 0, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND, 2)) {
            byte[] p = IpPackets.ipv4(A4, B4, 1380, 7);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            Thread reader = thread("weft-wga-tun-reader");
            Thread receiver = thread("weft-inmem-198.51.100.2-51820");
            Thread[] workers = {thread("weft-wga-crypto-0"), thread("weft-wga-crypto-1"), thread("weft-wgb-crypto-0"),
                thread("weft-wgb-crypto-1")};
            run(t.a, t.b, p, WARMUP);
            long r0 = THREADS.getThreadAllocatedBytes(reader.threadId());
            long v0 = THREADS.getThreadAllocatedBytes(receiver.threadId());
            long k0 = 0;
            long cpu0 = 0;
            for (Thread w : workers) {
                k0 += THREADS.getThreadAllocatedBytes(w.threadId());
                cpu0 += THREADS.getThreadCpuTime(w.threadId());
            }
            long rc0 = THREADS.getThreadCpuTime(reader.threadId());
            long vc0 = THREADS.getThreadCpuTime(receiver.threadId());
            long w0 = System.nanoTime();
            run(t.a, t.b, p, MEASURED);
            long w1 = System.nanoTime();
            long k1 = 0;
            long cpu1 = 0;
            for (Thread w : workers) {
                k1 += THREADS.getThreadAllocatedBytes(w.threadId());
                cpu1 += THREADS.getThreadCpuTime(w.threadId());
            }
            double readerPerPacket = (double) (THREADS.getThreadAllocatedBytes(reader.threadId()) - r0) / MEASURED;
            double receiverPerPacket = (double) (THREADS.getThreadAllocatedBytes(receiver.threadId()) - v0) / MEASURED;
            System.out.printf("with 2 crypto workers per device: %.0f packets/s; CPU per packet: reader %.2f us, receive %.2f us,"
                            + " workers %.2f us; allocation per packet: reader %.1f B, receive thread %.1f B, workers %.1f B%n",
                    MEASURED * 1e9 / (w1 - w0), (THREADS.getThreadCpuTime(reader.threadId()) - rc0) / 1e3 / MEASURED,
                    (THREADS.getThreadCpuTime(receiver.threadId()) - vc0) / 1e3 / MEASURED, (cpu1 - cpu0) / 1e3 / MEASURED,
                    readerPerPacket, receiverPerPacket, (double) (k1 - k0) / MEASURED);
            assertThat(t.a.device.counters().dropsTotal()).isZero();
            assertThat(t.b.device.counters().dropsTotal()).isZero();
            assertThat(readerPerPacket).isLessThan(DEVICE_BOUND_BYTES_PER_PACKET);
            assertThat(receiverPerPacket).isLessThan(DEVICE_BOUND_BYTES_PER_PACKET);
        }
    }

    private static void measure(TwoDevices t, byte[] p, Thread reader, Thread receiver) throws Exception {
        Allocations a = record(t.a, t.b, p, reader, receiver);
        double readerPerPacket = a.bytesPerPacket()[0];
        double receiverPerPacket = a.bytesPerPacket()[1];
        double[] jce = jceBytesPerMessage(t.a.device.currentSession(t.b.publicKey()).keypair,
                t.b.device.currentSession(t.a.publicKey()).keypair, p.length);
        System.out.printf("allocation per packet (%d packets of %d bytes after %d warm-up): "
                        + "TUN reader (route+seal+send) %.1f B of which JCE seal %.1f B -> device %.1f B; "
                        + "receive thread (open+checks+TUN write) %.1f B of which JCE open %.1f B -> device %.1f B%n",
                MEASURED, p.length, WARMUP, readerPerPacket, jce[0], readerPerPacket - jce[0],
                receiverPerPacket, jce[1], receiverPerPacket - jce[1]);
        a.assertNoDeviceAllocations();
        assertThat(t.a.device.counters().dropsTotal()).isZero();
        assertThat(t.b.device.counters().dropsTotal()).isZero();
        assertThat(readerPerPacket - jce[0]).isLessThan(DEVICE_BOUND_BYTES_PER_PACKET);
        assertThat(receiverPerPacket - jce[1]).isLessThan(DEVICE_BOUND_BYTES_PER_PACKET);
    }

    /**
     * A relay forwarding A's packets to C: R's receive thread opens, checks, routes, seals and sends
     * each one, so JCE allocates for one open and one seal there; the device's code adds nothing.
     */
    @Test
    void steadyStateRelayForwardingAllocatesAboutNothingPerPacket() throws Exception {
        try (ThreeDevices t = new ThreeDevices(new InMemoryNetwork(), 0)) {
            t.r.device.setForwarding(true);
            byte[] p = IpPackets.ipv4(ThreeDevices.A4, ThreeDevices.C4, 1380, 7);
            assertThat(t.transfer(t.a, t.c, p)).isEqualTo(p);
            Thread relay = thread("weft-inmem-198.51.100.2-51820");
            Allocations a = record(t.a, t.c, p, relay);
            double[] jce = jceBytesPerMessage(t.a.device.currentSession(t.r.publicKey()).keypair,
                    t.r.device.currentSession(t.a.publicKey()).keypair, p.length);
            double perPacket = a.bytesPerPacket()[0];
            System.out.printf("relay allocation per packet (%d packets of %d bytes after %d warm-up): receive thread "
                            + "(open+checks+route+seal+send) %.1f B of which JCE open+seal %.1f B -> device %.1f B%n",
                    MEASURED, p.length, WARMUP, perPacket, jce[0] + jce[1], perPacket - jce[0] - jce[1]);
            a.assertNoDeviceAllocations();
            assertThat(t.r.device.counters().forwardedPackets()).isGreaterThanOrEqualTo(WARMUP + MEASURED);
            assertThat(t.r.tun.device().written()).isZero();
            assertThat(t.a.device.counters().dropsTotal()).isZero();
            assertThat(t.r.device.counters().dropsTotal()).isZero();
            assertThat(t.c.device.counters().dropsTotal()).isZero();
            assertThat(perPacket - jce[0] - jce[1]).isLessThan(DEVICE_BOUND_BYTES_PER_PACKET);
        }
    }

    /**
     * The relay with crypto workers: its receive thread copies datagrams into the inbound ring, the
     * workers open them, copy the packets for C into the forward ring and seal them there.
     */
    @Test
    void relayForwardingWithCryptoWorkersAllocatesNothingInTheDevice() throws Exception {
        try (ThreeDevices t = new ThreeDevices(new InMemoryNetwork(), 2)) {
            t.r.device.setForwarding(true);
            byte[] p = IpPackets.ipv4(ThreeDevices.A4, ThreeDevices.C4, 1380, 7);
            assertThat(t.transfer(t.a, t.c, p)).isEqualTo(p);
            Allocations a = record(t.a, t.c, p, thread("weft-inmem-198.51.100.2-51820"), thread("weft-wgr-crypto-0"),
                    thread("weft-wgr-crypto-1"));
            double[] jce = jceBytesPerMessage(t.a.device.currentSession(t.r.publicKey()).keypair,
                    t.r.device.currentSession(t.a.publicKey()).keypair, p.length);
            double workers = a.bytesPerPacket()[1] + a.bytesPerPacket()[2];
            System.out.printf("relay with 2 crypto workers, allocation per packet: receive thread %.1f B, workers %.1f B"
                    + " of which JCE open+seal %.1f B -> device %.1f B%n", a.bytesPerPacket()[0], workers, jce[0] + jce[1],
                    workers - jce[0] - jce[1]);
            a.assertNoDeviceAllocations();
            assertThat(t.r.device.counters().dropsTotal()).isZero();
            assertThat(a.bytesPerPacket()[0]).isLessThan(DEVICE_BOUND_BYTES_PER_PACKET);
            // two JCE messages per packet, on whichever worker, and each one's share varies by call site
            assertThat(workers - jce[0] - jce[1]).isLessThan(2 * DEVICE_BOUND_BYTES_PER_PACKET);
        }
    }

    /** What the measured threads allocated per packet, and the JFR samples whose first own frame is device code. */
    private record Allocations(double[] bytesPerPacket, int samples, List<String> deviceAllocations) {
        void assertNoDeviceAllocations() {
            System.out.printf("JFR: %d allocation samples on the measured threads, %d made by the device's own code%n",
                    samples, deviceAllocations.size());
            assertThat(samples).as("JFR sampled the threads").isPositive();
            assertThat(deviceAllocations).as("allocations by net.weft.node.device code on the packet threads").isEmpty();
        }
    }

    /**
     * Warms up, then sends {@link #MEASURED} packets from {@code from} to {@code to} while JFR samples
     * allocations with stack traces; returns each thread's allocated bytes per packet and the samples.
     */
    private static Allocations record(Node from, Node to, byte[] p, Thread... threads) throws Exception {
        run(from, to, p, WARMUP);
        Path jfr = Files.createTempFile("weft-device-alloc", ".jfr");
        long[] bytes0 = new long[threads.length];
        long[] cpu0 = new long[threads.length];
        double[] perPacket = new double[threads.length];
        StringBuilder cpu = new StringBuilder();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "5000/s").withStackTrace();
            recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
            recording.start();
            for (int i = 0; i < threads.length; i++) {
                bytes0[i] = THREADS.getThreadAllocatedBytes(threads[i].threadId());
                cpu0[i] = THREADS.getThreadCpuTime(threads[i].threadId());
            }
            long w0 = System.nanoTime();
            run(from, to, p, MEASURED);
            long w1 = System.nanoTime();
            for (int i = 0; i < threads.length; i++) {
                perPacket[i] = (double) (THREADS.getThreadAllocatedBytes(threads[i].threadId()) - bytes0[i]) / MEASURED;
                cpu.append(String.format(" %s %.2f us", threads[i].getName(),
                        (THREADS.getThreadCpuTime(threads[i].threadId()) - cpu0[i]) / 1e3 / MEASURED));
            }
            System.out.printf("throughput %s->%s in memory (with JFR on): %.0f packets/s; CPU per packet:%s%n",
                    from.name, to.name, MEASURED * 1e9 / (w1 - w0), cpu);
            recording.stop();
            recording.dump(jfr);
        }
        Set<String> names = new HashSet<>();
        for (Thread t : threads) {
            names.add(t.getName());
        }
        List<String> deviceAllocations = new ArrayList<>();
        int samples = 0;
        try {
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (e.getThread() == null || e.getStackTrace() == null || !names.contains(e.getThread().getJavaName())) {
                    continue;
                }
                samples++;
                String owner = firstOwnFrame(e.getStackTrace().getFrames());
                if (owner.startsWith("net.weft.node.device.")) {
                    deviceAllocations.add(e.getThread().getJavaName() + ": " + e.getClass("objectClass").getName() + " at " + owner);
                }
            }
        } finally {
            Files.deleteIfExists(jfr);
        }
        return new Allocations(perPacket, samples, deviceAllocations);
    }

    /**
     * What JCE alone allocates per seal and per open of a {@code length}-byte payload on this JVM,
     * measured on this thread with a device's keypair {@code send} and its peer's matching
     * {@code receive} (sealing with an unused counter and opening without the replay filter, so the
     * devices' state is untouched).
     */
    private static double[] jceBytesPerMessage(net.weft.crypto.noise.Keypair send, net.weft.crypto.noise.Keypair receive,
                                               int length) {
        net.weft.crypto.primitive.ChaChaPoly aead = net.weft.crypto.primitive.ChaChaPoly.get();
        byte[] buffer = new byte[Send.BUFFER_SIZE];
        byte[] sealed = new byte[Send.BUFFER_SIZE];
        int padded = net.weft.crypto.message.Messages.paddedLength(length, 1420);
        int n = send.seal(aead, Long.MAX_VALUE / 2, sealed, 0, length, padded);
        double[] result = new double[2];
        for (int round = 0; round < 2; round++) {
            long s0 = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                send.seal(aead, Long.MAX_VALUE / 2 + 1 + i, buffer, 0, length, padded);
            }
            long s1 = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                System.arraycopy(sealed, 0, buffer, 0, n);
                if (receive.open(aead, buffer, 0, n) < 0) {
                    throw new AssertionError("calibration message did not open");
                }
            }
            long s2 = THREADS.getCurrentThreadAllocatedBytes();
            result[0] = (double) (s1 - s0) / MEASURED;
            result[1] = (double) (s2 - s1) / MEASURED;
        }
        return result;
    }

    /** Sends {@code count} copies of {@code p} into {@code from}'s TUN in batches, draining {@code to}'s TUN. */
    private static void run(Node from, Node to, byte[] p, int count) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(p);
        ByteBuffer out = ByteBuffer.allocate(65535);
        long target = to.tun.device().written() + count;
        int sent = 0;
        long deadline = System.nanoTime() + TwoDevices.DEADLINE.toNanos();
        while (sent < count) {
            int n = Math.min(BATCH, count - sent);
            for (int i = 0; i < n; i++) {
                in.clear();
                from.tun.host().write(in);
            }
            sent += n;
            long batchTarget = target - (count - sent);
            while (to.tun.device().written() < batchTarget) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("stalled: " + to.tun.device().written() + " of " + batchTarget
                            + "; " + from.name + " " + from.device.counters() + ", " + to.name + " " + to.device.counters());
                }
                while (to.tun.host().pending() > 0) {
                    out.clear();
                    to.tun.host().read(out);
                }
                Thread.onSpinWait();
            }
        }
        while (to.tun.host().pending() > 0) {
            out.clear();
            to.tun.host().read(out);
        }
    }

    /**
     * Who made an allocation: the first frame outside the JDK. JCE's allocations name
     * {@code net.weft.crypto.primitive.ChaChaPoly}, the in-memory network's name
     * {@code net.weft.node.conn}; the device's own name {@code net.weft.node.device}.
     */
    private static String firstOwnFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("javax.") && !type.startsWith("jdk.")
                    && !type.startsWith("sun.") && !type.startsWith("com.sun.")) {
                return type + "." + f.getMethod().getName();
            }
        }
        return "jdk";
    }

    private static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
