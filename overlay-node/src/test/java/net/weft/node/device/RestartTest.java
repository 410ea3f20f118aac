package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.B4;
import static net.weft.node.device.TwoDevices.B6;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import net.weft.node.conn.InMemoryBind;
import net.weft.node.tun.TunPair;
import org.junit.jupiter.api.Test;

/**
 * A node that restarts with its key (an agent after a crash or an upgrade) while its peers still hold sessions
 * with its previous run: their packets cannot be opened by the new run until they handshake again, which
 * without help happens only after their keepalive and rekey timeouts. Greeting the peers at start fixes that.
 */
class RestartTest {

    @Test
    void aRestartedDeviceGreetsItsPeersAndTheirNextPacketArrivesOnTheNewSession() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            t.transfer(t.a, t.b, IpPackets.ipv4(A4, B4, 100, 1));
            t.transfer(t.b, t.a, IpPackets.ipv4(B4, A4, 100, 2));

            // a restarts with the same key and address; b keeps its session with a's previous run
            t.a.device.close();
            InMemoryBind bind = t.network.bind(t.a.endpoint);
            TunPair tun = TunPair.create("wga2", 1420, 8 << 20);
            DeviceOptions options = DeviceOptions.defaults().withClock(t.clock).withRandom(new SecureRandom())
                    .withLoggerName("test.wga2");
            try (Device a2 = new Device(tun.device(), bind, options)) {
                a2.apply(TwoDevices.update(t.a.key, TwoDevices.peer(t.b.publicKey(), t.b.endpoint, B4 + "/32", B6 + "/128")));
                a2.start();

                // without a greeting b's packet goes out on the old session, which the new run cannot open
                t.b.inject(IpPackets.ipv4(B4, A4, 100, 3));
                TwoDevices.pump(t.network, () -> a2.counters().drops(DropReason.UNKNOWN_RECEIVER) == 1,
                        () -> "a2 " + a2.counters() + ", b " + t.b.device.counters());
                assertThat(tun.host().pending()).isZero();

                // a real restart takes time: its handshake's timestamp is newer than the previous run's last one
                t.clock.advance(java.time.Duration.ofSeconds(1));
                assertThat(a2.greetPeers(10)).isEqualTo(1);
                t.settle(); // initiation, response, and a2's keepalive that confirms b's new session

                byte[] packet = IpPackets.ipv4(B4, A4, 100, 4);
                t.b.inject(packet);
                byte[][] got = new byte[1][];
                TwoDevices.pump(t.network, () -> {
                    try {
                        if (tun.host().pending() == 0) {
                            return false;
                        }
                        ByteBuffer buf = ByteBuffer.allocate(65535);
                        int n = tun.host().read(buf);
                        got[0] = Arrays.copyOf(buf.array(), n);
                        return true;
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, () -> "a2 " + a2.counters() + ", b " + t.b.device.counters());
                assertThat(got[0]).isEqualTo(packet);
                assertThat(a2.counters().drops(DropReason.UNKNOWN_RECEIVER)).isEqualTo(1);
            }
        }
    }

    @Test
    void aDeviceNotStartedGreetsNoOne() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            TunPair tun = TunPair.create("wgc", 1420, 8 << 20);
            try (Device c = new Device(tun.device(), t.network.bind(new java.net.InetSocketAddress(
                    java.net.InetAddress.getByName("198.51.100.3"), 51820)), DeviceOptions.defaults())) {
                c.apply(TwoDevices.update(net.weft.crypto.key.PrivateKey.generate(new SecureRandom()),
                        TwoDevices.peer(t.b.publicKey(), t.b.endpoint, B4 + "/32")));
                assertThat(c.greetPeers(10)).isZero();
            }
        }
    }
}
