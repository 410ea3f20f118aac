package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.A6;
import static net.weft.node.device.TwoDevices.B4;
import static net.weft.node.device.TwoDevices.B6;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.message.Messages;
import net.weft.node.conn.InMemoryNetwork;
import net.weft.node.device.DeviceCounters.Handshake;
import org.junit.jupiter.api.Test;

/** Two devices over the in-memory network and TUNs: the packet paths, routing, replay, counters. */
class DeviceTest {

    @Test
    void handshakeOnFirstPacketThenIpv4AndIpv6BothWays() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] first = IpPackets.ipv4(A4, B4, 100, 1);
            assertThat(t.transfer(t.a, t.b, first)).isEqualTo(first);
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(1);
            assertThat(t.b.device.counters().handshakes(Handshake.RESPONSE_SENT)).isEqualTo(1);
            assertThat(t.a.device.counters().handshakes(Handshake.COMPLETED)).isEqualTo(1);
            assertThat(t.b.device.counters().handshakes(Handshake.COMPLETED)).isEqualTo(1);

            for (int i = 0; i < 20; i++) {
                byte[] v4 = IpPackets.ipv4(B4, A4, 10 + i * 70, i);
                assertThat(t.transfer(t.b, t.a, v4)).isEqualTo(v4);
                byte[] v6 = IpPackets.ipv6(A6, B6, 1 + i * 60, i);
                assertThat(t.transfer(t.a, t.b, v6)).isEqualTo(v6);
                byte[] v6back = IpPackets.ipv6(B6, A6, 1300, i);
                assertThat(t.transfer(t.b, t.a, v6back)).isEqualTo(v6back);
            }
            // one handshake served everything
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(1);
            assertThat(t.b.device.counters().handshakes(Handshake.INITIATION_SENT)).isZero();
            assertThat(t.a.device.counters().dropsTotal()).isZero();
            assertThat(t.b.device.counters().dropsTotal()).isZero();
            assertThat(t.a.peer(t.b.publicKey()).lastHandshakeEpochNanos()).isPositive();
            assertThat(t.b.peer(t.a.publicKey()).lastHandshakeEpochNanos()).isPositive();
        }
    }

    @Test
    void packetsWaitingForTheHandshakeGoOutInOrder() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            for (int i = 0; i < 5; i++) {
                t.a.inject(IpPackets.ipv4(A4, B4, 50, i));
            }
            for (int i = 0; i < 5; i++) {
                byte[] expected = IpPackets.ipv4(A4, B4, 50, i);
                byte[][] got = new byte[1][];
                t.pump(() -> {
                    try {
                        got[0] = t.b.delivered();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return got[0] != null;
                });
                assertThat(got[0]).isEqualTo(expected);
            }
        }
    }

    @Test
    void packetWithoutRouteIsDroppedAndCounted() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            t.a.inject(IpPackets.ipv4(A4, "100.64.9.9", 10, 0));
            t.a.inject(new byte[] {0x10, 0, 0, 0, 0, 0});
            t.pump(() -> t.a.device.counters().drops(DropReason.NO_ROUTE) == 1
                    && t.a.device.counters().drops(DropReason.INVALID_OUTBOUND_PACKET) == 1);
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isZero();
        }
    }

    @Test
    void allowedIpsAreEnforcedAndAMoreSpecificPeerTakesOverAPrefix() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            PublicKey c = PrivateKey.generate(new SecureRandom()).publicKey();
            // A: B owns 100.64.1.0/24, C (no endpoint) the more specific 100.64.1.128/25
            t.a.device.apply(TwoDevices.peersOnly(TwoDevices.peer(t.b.publicKey(), null, "100.64.1.0/24"),
                    TwoDevices.peer(c, null, "100.64.1.128/25")));
            // B routes those sources towards A
            t.b.device.apply(TwoDevices.peersOnly(TwoDevices.peer(t.a.publicKey(), null, "100.64.0.0/16")));

            byte[] allowed = IpPackets.ipv4("100.64.1.5", A4, 40, 1);
            assertThat(t.transfer(t.b, t.a, allowed)).isEqualTo(allowed);

            t.b.inject(IpPackets.ipv4("100.64.1.200", A4, 40, 2));
            t.pump(() -> t.a.device.counters().drops(DropReason.SOURCE_NOT_ALLOWED) == 1);
            t.b.inject(IpPackets.ipv4("100.64.9.9", A4, 40, 3));
            t.pump(() -> t.a.device.counters().drops(DropReason.SOURCE_NOT_ALLOWED) == 2);
            t.b.inject(IpPackets.ipv6("fd00:64::99", A6, 40, 4));
            t.pump(() -> t.a.device.counters().drops(DropReason.SOURCE_NOT_ALLOWED) == 3);

            // and nothing of those reached A's TUN: the next packet delivered is the next allowed one
            byte[] next = IpPackets.ipv6(B6, A6, 40, 5);
            assertThat(t.transfer(t.b, t.a, next)).isEqualTo(next);

            // outbound, 100.64.1.200 now routes to C, not B
            long bRx = t.b.peer(t.a.publicKey()).rxBytes();
            t.a.inject(IpPackets.ipv4(A4, "100.64.1.200", 40, 6));
            t.pump(() -> t.a.device.peerForTest(c).hasStaged());
            t.settle();
            assertThat(t.b.peer(t.a.publicKey()).rxBytes()).isEqualTo(bRx);
            assertThat(t.b.delivered()).isNull();
            byte[] toB = IpPackets.ipv4(A4, "100.64.1.7", 40, 7);
            assertThat(t.transfer(t.a, t.b, toB)).isEqualTo(toB);
        }
    }

    @Test
    void replayedTransportMessageIsDroppedAndNotDeliveredTwice() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] first = IpPackets.ipv4(A4, B4, 64, 1);
            assertThat(t.transfer(t.a, t.b, first)).isEqualTo(first);

            AtomicBoolean duplicateNext = new AtomicBoolean(true);
            t.network.hook((src, dst, payload) -> {
                if (payload.get(payload.position()) == Messages.TYPE_TRANSPORT && payload.remaining() > Messages.TRANSPORT_MIN_SIZE
                        && duplicateNext.getAndSet(false)) {
                    return InMemoryNetwork.Action.DUPLICATE;
                }
                return InMemoryNetwork.Action.DELIVER;
            });
            byte[] second = IpPackets.ipv4(A4, B4, 64, 2);
            assertThat(t.transfer(t.a, t.b, second)).isEqualTo(second);
            t.pump(() -> t.b.device.counters().drops(DropReason.REPLAYED) == 1);
            t.settle();
            assertThat(t.b.delivered()).isNull();
            t.network.hook(null);

            // a replay held back and sent after newer messages is refused as well
            ByteBuffer[] captured = new ByteBuffer[1];
            t.network.hook((src, dst, payload) -> {
                if (captured[0] == null && payload.get(payload.position()) == Messages.TYPE_TRANSPORT
                        && payload.remaining() > Messages.TRANSPORT_MIN_SIZE) {
                    captured[0] = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
                }
                return InMemoryNetwork.Action.DELIVER;
            });
            byte[] third = IpPackets.ipv4(A4, B4, 64, 3);
            assertThat(t.transfer(t.a, t.b, third)).isEqualTo(third);
            t.network.hook(null);
            byte[] fourth = IpPackets.ipv4(A4, B4, 64, 4);
            assertThat(t.transfer(t.a, t.b, fourth)).isEqualTo(fourth);
            t.b.device.receive.receive(captured[0], t.a.endpoint);
            assertThat(t.b.device.counters().drops(DropReason.REPLAYED)).isEqualTo(2);
            assertThat(t.b.delivered()).isNull();
        }
    }

    @Test
    void malformedAndForgedDatagramsAreDroppedByReasonNeverThrown() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] first = IpPackets.ipv4(A4, B4, 64, 1);
            assertThat(t.transfer(t.a, t.b, first)).isEqualTo(first);
            Receive r = t.b.device.receive;
            java.net.InetSocketAddress src = new java.net.InetSocketAddress(InetAddress.getByName("203.0.113.9"), 9999);

            r.receive(ByteBuffer.wrap(new byte[] {1, 2, 3}), src);
            r.receive(ByteBuffer.allocateDirect(0), src);
            r.receive(ByteBuffer.wrap(new byte[148]), src); // type 0
            byte[] init = new byte[Messages.INITIATION_SIZE];
            init[0] = Messages.TYPE_INITIATION;
            r.receive(ByteBuffer.wrap(init), src); // bad mac1
            byte[] cookie = new byte[Messages.COOKIE_REPLY_SIZE];
            cookie[0] = Messages.TYPE_COOKIE_REPLY;
            r.receive(ByteBuffer.wrap(cookie), src);
            byte[] transport = new byte[64];
            transport[0] = Messages.TYPE_TRANSPORT;
            r.receive(ByteBuffer.wrap(transport), src); // unknown receiver
            // a real session index with a forged body
            int index = t.b.device.currentSession(t.a.publicKey()).localIndex();
            Messages.writeInt(transport, Messages.TRANSPORT_RECEIVER, index);
            r.receive(ByteBuffer.wrap(transport), src);

            DeviceCounters c = t.b.device.counters();
            assertThat(c.drops(DropReason.MALFORMED)).isEqualTo(3);
            assertThat(c.drops(DropReason.INVALID_MAC1)).isEqualTo(1);
            assertThat(c.drops(DropReason.INVALID_COOKIE_REPLY)).isEqualTo(1);
            assertThat(c.drops(DropReason.UNKNOWN_RECEIVER)).isEqualTo(1);
            assertThat(c.drops(DropReason.DECRYPTION_FAILED)).isEqualTo(1);
            assertThat(c.drops(DropReason.INTERNAL_ERROR)).isZero();
            // a forged packet moves nothing: the endpoint stays where A really is
            assertThat(t.b.peer(t.a.publicKey()).endpoint()).contains(t.a.endpoint);
        }
    }

    @Test
    void statusCountsEveryByteOnTheWireIncludingHandshakes() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            AtomicLong aToB = new AtomicLong();
            AtomicLong bToA = new AtomicLong();
            t.network.hook((src, dst, payload) -> {
                (src.equals(t.a.endpoint) ? aToB : bToA).addAndGet(payload.remaining());
                return InMemoryNetwork.Action.DELIVER;
            });
            for (int i = 0; i < 10; i++) {
                byte[] p = IpPackets.ipv4(A4, B4, 7 * i + 3, i);
                assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
                byte[] q = IpPackets.ipv6(B6, A6, 11 * i, i);
                assertThat(t.transfer(t.b, t.a, q)).isEqualTo(q);
            }
            t.settle();
            PeerStatus aSeesB = t.a.peer(t.b.publicKey());
            PeerStatus bSeesA = t.b.peer(t.a.publicKey());
            // handshake initiation (148) and response (92) are in there
            assertThat(aToB.get()).isGreaterThan(148);
            assertThat(aSeesB.txBytes()).isEqualTo(aToB.get());
            assertThat(bSeesA.rxBytes()).isEqualTo(aToB.get());
            assertThat(bSeesA.txBytes()).isEqualTo(bToA.get());
            assertThat(aSeesB.rxBytes()).isEqualTo(bToA.get());
            assertThat(aSeesB.endpoint()).contains(t.b.endpoint);
            assertThat(aSeesB.allowedIps()).extracting(Object::toString).containsExactly(B4 + "/32", B6 + "/128");
        }
    }

    @Test
    void endpointRoamsToTheSourceOfAuthenticatedPackets() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            // A moves to another port; B learns it from A's next packet
            int moved = 40001;
            t.a.device.apply(new DeviceUpdate(java.util.Optional.empty(), java.util.OptionalInt.of(moved),
                    java.util.OptionalInt.empty(), false, java.util.List.of()));
            assertThat(t.a.device.status().listenPort()).isEqualTo(moved);
            byte[] q = IpPackets.ipv4(A4, B4, 10, 2);
            assertThat(t.transfer(t.a, t.b, q)).isEqualTo(q);
            assertThat(t.b.peer(t.a.publicKey()).endpoint().orElseThrow().getPort()).isEqualTo(moved);
            byte[] back = IpPackets.ipv4(B4, A4, 10, 3);
            assertThat(t.transfer(t.b, t.a, back)).isEqualTo(back);
        }
    }
}
