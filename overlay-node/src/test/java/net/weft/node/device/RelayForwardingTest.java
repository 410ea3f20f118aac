package net.weft.node.device;

import static net.weft.node.device.ThreeDevices.A4;
import static net.weft.node.device.ThreeDevices.A6;
import static net.weft.node.device.ThreeDevices.C4;
import static net.weft.node.device.ThreeDevices.C6;
import static net.weft.node.device.ThreeDevices.R4;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import net.weft.crypto.message.Messages;
import net.weft.node.conn.InMemoryNetwork;
import net.weft.node.device.DeviceCounters.Handshake;
import net.weft.node.device.TwoDevices.Node;
import net.weft.node.metrics.DeviceMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forwarding at a relay R between A and C, which know only R ({@link ThreeDevices}): decrypted
 * packets for the other peer are re-encrypted in userspace, never written to R's TUN; forwarding
 * off leaves them to R's kernel; loops and packets too big for the next tunnel are dropped and
 * counted; the setting changes while packets flow.
 */
class RelayForwardingTest {

    @ParameterizedTest(name = "{0} crypto workers")
    @ValueSource(ints = {0, 2})
    void relayCarriesTrafficBothWaysWithoutItsTun(int workers) throws Exception {
        try (ThreeDevices t = new ThreeDevices(InMemoryNetwork.manual(), workers)) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new DeviceMetrics(t.r.device, registry, t.clock);
            t.r.device.setForwarding(true);
            assertThat(t.r.device.forwarding()).isTrue();

            long bytes = 0;
            int packets = 0;
            for (int i = 0; i < 10; i++) {
                byte[] toC = IpPackets.ipv4(A4, C4, 10 + i * 130, i);
                // the same bytes, so the inner source is still A's address
                assertThat(t.transfer(t.a, t.c, toC)).isEqualTo(toC);
                byte[] reply = IpPackets.ipv4(C4, A4, 1300 - i * 100, i);
                assertThat(t.transfer(t.c, t.a, reply)).isEqualTo(reply);
                byte[] v6 = IpPackets.ipv6(A6, C6, 1 + i * 90, i);
                assertThat(t.transfer(t.a, t.c, v6)).isEqualTo(v6);
                bytes += toC.length + reply.length + v6.length;
                packets += 3;
            }
            t.settle();

            DeviceCounters relay = t.r.device.counters();
            assertThat(t.r.tun.device().written()).as("packets R wrote to its TUN").isZero();
            assertThat(relay.forwardedPackets()).isEqualTo(packets);
            assertThat(relay.forwardedBytes()).isEqualTo(bytes);
            // R started the handshake with C when the first packet for C arrived, and one was enough
            assertThat(relay.handshakes(Handshake.INITIATION_SENT)).isEqualTo(1);
            assertThat(t.c.device.counters().handshakes(Handshake.INITIATION_SENT)).isZero();
            assertThat(relay.dropsTotal()).isZero();
            assertThat(t.a.device.counters().dropsTotal()).isZero();
            assertThat(t.c.device.counters().dropsTotal()).isZero();
            assertThat(registry.get("weft.forwarded.packets").functionCounter().count()).isEqualTo(packets);
            assertThat(registry.get("weft.forwarded.bytes").functionCounter().count()).isEqualTo(bytes);

            // a destination no peer of R owns (R's own address) still goes to R's TUN
            byte[] toR = IpPackets.ipv4(A4, R4, 50, 99);
            assertThat(t.transfer(t.a, t.r, toR)).isEqualTo(toR);
            assertThat(relay.forwardedPackets()).isEqualTo(packets);
        }
    }

    @Test
    void withForwardingOffThePacketGoesToTheRelaysTun() throws Exception {
        try (ThreeDevices t = new ThreeDevices(InMemoryNetwork.manual(), 0)) {
            assertThat(t.r.device.forwarding()).isFalse();
            byte[] toC = IpPackets.ipv4(A4, C4, 100, 1);
            assertThat(t.transfer(t.a, t.r, toC)).isEqualTo(toC);
            t.settle();
            assertThat(t.c.delivered()).isNull();
            assertThat(t.r.device.counters().forwardedPackets()).isZero();
            assertThat(t.r.device.counters().dropsTotal()).isZero();

            t.r.device.setForwarding(true);
            byte[] next = IpPackets.ipv4(A4, C4, 100, 2);
            assertThat(t.transfer(t.a, t.c, next)).isEqualTo(next);
            assertThat(t.r.delivered()).isNull();
        }
    }

    @Test
    void optionsCanStartTheDeviceForwarding() {
        assertThat(DeviceOptions.defaults().forwarding()).isFalse();
        assertThat(DeviceOptions.defaults().withForwarding(true).withCryptoWorkers(1).forwarding()).isTrue();
    }

    @Test
    void aDestinationThatRoutesBackToTheSenderIsDroppedAsALoop() throws Exception {
        try (ThreeDevices t = new ThreeDevices(InMemoryNetwork.manual(), 0)) {
            // A is a gateway for 100.64.1.0/24, and sends a packet for it to R anyway
            t.a.device.apply(TwoDevices.peersOnly(TwoDevices.peer(t.r.publicKey(), null, "100.64.1.0/24")));
            t.r.device.apply(TwoDevices.peersOnly(TwoDevices.peer(t.a.publicKey(), null, "100.64.1.0/24")));
            t.r.device.setForwarding(true);

            t.a.inject(IpPackets.ipv4(A4, "100.64.1.5", 40, 1));
            t.pump(() -> t.r.device.counters().drops(DropReason.FORWARD_LOOP) == 1);
            t.settle();
            assertThat(t.r.delivered()).isNull();
            assertThat(t.a.delivered()).isNull();
            assertThat(t.c.delivered()).isNull();
            assertThat(t.r.device.counters().forwardedPackets()).isZero();

            // without forwarding, R's kernel decides
            t.r.device.setForwarding(false);
            byte[] again = IpPackets.ipv4(A4, "100.64.1.5", 40, 2);
            assertThat(t.transfer(t.a, t.r, again)).isEqualTo(again);
            assertThat(t.r.device.counters().drops(DropReason.FORWARD_LOOP)).isEqualTo(1);
        }
    }

    @Test
    void aPacketLongerThanTheRelaysMtuIsDroppedNotTruncated() throws Exception {
        try (ThreeDevices t = new ThreeDevices(InMemoryNetwork.manual(), 0)) {
            t.r.device.setForwarding(true);
            t.r.tun.device().setMtu(1280);
            t.r.device.runTimers(); // picks the new MTU up

            t.a.inject(IpPackets.ipv4(A4, C4, 1400 - 28, 1));
            t.pump(() -> t.r.device.counters().drops(DropReason.FORWARD_TOO_BIG) == 1);
            t.settle();
            assertThat(t.c.delivered()).isNull();
            assertThat(t.r.delivered()).isNull();
            assertThat(t.r.device.counters().forwardedPackets()).isZero();

            byte[] fits = IpPackets.ipv6(A6, C6, 1280 - 48, 2);
            assertThat(t.transfer(t.a, t.c, fits)).isEqualTo(fits);
            assertThat(t.r.device.counters().drops(DropReason.FORWARD_TOO_BIG)).isEqualTo(1);
        }
    }

    /**
     * A bind that hands over a heap buffer holding exactly the datagram: the packet is decrypted and
     * re-sealed where it lies, and its padding must stop at the datagram's end. A sends unpadded
     * (its MTU is the packet's length), R's larger MTU would pad to the next multiple of 16.
     */
    @Test
    void aPacketForwardedInTheBindsOwnBufferPadsOnlyAsFarAsTheBufferGoes() throws Exception {
        try (ThreeDevices t = new ThreeDevices(InMemoryNetwork.manual(), 0)) {
            t.r.device.setForwarding(true);
            byte[] first = IpPackets.ipv4(A4, C4, 20, 0);
            assertThat(t.transfer(t.a, t.c, first)).isEqualTo(first);
            int length = 1401;
            t.a.tun.device().setMtu(length);
            t.a.device.runTimers();

            AtomicReference<byte[]> captured = new AtomicReference<>();
            t.network.hook((src, dst, payload) -> {
                if (src.equals(t.a.endpoint) && payload.get(payload.position()) == Messages.TYPE_TRANSPORT
                        && payload.remaining() > Messages.TRANSPORT_MIN_SIZE && captured.get() == null) {
                    byte[] copy = new byte[payload.remaining()];
                    payload.duplicate().get(copy);
                    captured.set(copy);
                    return InMemoryNetwork.Action.DROP;
                }
                return InMemoryNetwork.Action.DELIVER;
            });
            byte[] packet = IpPackets.ipv4(A4, C4, length - 28, 1);
            t.a.inject(packet);
            t.pump(() -> captured.get() != null);
            assertThat(captured.get()).hasSize(Messages.TRANSPORT_MIN_SIZE + length);
            AtomicInteger relayed = new AtomicInteger();
            t.network.hook((src, dst, payload) -> {
                if (src.equals(t.r.endpoint) && payload.get(payload.position()) == Messages.TYPE_TRANSPORT) {
                    relayed.set(payload.remaining());
                }
                return InMemoryNetwork.Action.DELIVER;
            });

            t.r.device.receive.receive(ByteBuffer.wrap(captured.get()), t.a.endpoint);
            byte[][] got = new byte[1][];
            t.pump(() -> (got[0] = delivered(t.c)) != null || t.r.device.counters().dropsTotal() > 0);
            assertThat(t.r.device.counters().dropsByReason()).allSatisfy((reason, n) -> assertThat(n).as("%s", reason).isZero());
            assertThat(got[0]).isEqualTo(packet);
            assertThat(relayed.get()).as("R's datagram to C, unpadded").isEqualTo(Messages.TRANSPORT_MIN_SIZE + length);
        }
    }

    /**
     * The node agent flips forwarding while traffic flows: every packet still lands exactly once,
     * on C (forwarded) or on R's TUN, nothing throws and the devices stay up.
     */
    @ParameterizedTest(name = "{0} crypto workers")
    @ValueSource(ints = {0, 2})
    void forwardingCanBeToggledWhilePacketsFlow(int workers) throws Exception {
        try (ThreeDevices t = new ThreeDevices(new InMemoryNetwork(), workers)) {
            t.r.device.setForwarding(true);
            byte[] first = IpPackets.ipv4(A4, C4, 20, 0);
            assertThat(t.transfer(t.a, t.c, first)).isEqualTo(first);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger toggles = new AtomicInteger();
            Thread toggler = Thread.ofPlatform().name("forwarding-toggler").start(() -> {
                while (!stop.get()) {
                    t.r.device.setForwarding(!t.r.device.forwarding());
                    toggles.incrementAndGet();
                    LockSupport.parkNanos(50_000); // packets see both settings
                }
            });
            int total = 4000;
            int batch = 100;
            int atC = 0;
            int atR = 0;
            ByteBuffer sink = ByteBuffer.allocate(65535);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try {
                for (int sent = 0; sent < total; ) {
                    for (int i = 0; i < batch; i++, sent++) {
                        t.a.inject(IpPackets.ipv4(A4, C4, 100 + sent % 1200, sent));
                    }
                    while (atC + atR < sent) {
                        assertThat(System.nanoTime() - deadline).as("%d of %d arrived; %s", atC + atR, sent, t.state()).isNegative();
                        atC += drain(t.c, sink);
                        atR += drain(t.r, sink);
                        Thread.onSpinWait();
                    }
                }
            } finally {
                stop.set(true);
                toggler.join(TimeUnit.SECONDS.toMillis(5));
            }
            t.settle();
            atC += drain(t.c, sink);
            atR += drain(t.r, sink);
            System.out.printf("forwarding toggled %d times while %d packets flowed (%d crypto workers): %d forwarded to C,"
                    + " %d to R's TUN%n", toggles.get(), total, workers, atC, atR);
            assertThat(atC + atR).isEqualTo(total);
            assertThat(t.r.device.counters().forwardedPackets()).isEqualTo(atC + 1);
            assertThat(t.r.device.counters().dropsTotal()).isZero();
            assertThat(t.r.device.closed()).isNotDone();

            // and afterwards, either way round
            t.r.device.setForwarding(true);
            byte[] on = IpPackets.ipv4(C4, A4, 500, 1);
            assertThat(t.transfer(t.c, t.a, on)).isEqualTo(on);
            t.r.device.setForwarding(false);
            byte[] off = IpPackets.ipv4(A4, C4, 500, 2);
            assertThat(t.transfer(t.a, t.r, off)).isEqualTo(off);
        }
    }

    /** Reads and counts everything waiting on {@code n}'s TUN. */
    private static int drain(Node n, ByteBuffer sink) throws Exception {
        int count = 0;
        while (n.tun.host().pending() > 0) {
            sink.clear();
            if (n.tun.host().read(sink) > 0) {
                count++;
            }
        }
        return count;
    }

    private static byte[] delivered(Node n) {
        try {
            return n.delivered();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
