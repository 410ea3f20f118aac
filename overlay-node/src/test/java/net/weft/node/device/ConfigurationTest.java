package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.A6;
import static net.weft.node.device.TwoDevices.B4;
import static net.weft.node.device.TwoDevices.B6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.node.conn.InMemoryBind;
import org.junit.jupiter.api.Test;

/** {@link Device#apply}: atomic updates, key changes, peers. */
class ConfigurationTest {

    @Test
    void survivesAPrivateKeyChangeMidTraffic() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            for (int i = 0; i < 5; i++) {
                byte[] p = IpPackets.ipv4(A4, B4, 100, i);
                assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            }
            Session old = t.a.device.currentSession(t.b.publicKey());
            PublicKey oldA = t.a.publicKey();
            PrivateKey fresh = PrivateKey.generate(new SecureRandom());
            t.a.device.apply(new DeviceUpdate(Optional.of(Optional.of(fresh)), OptionalInt.empty(), OptionalInt.empty(), false, List.of()));
            t.a.key = fresh;
            // the old sessions are gone at once
            assertThat(old.keypair.isDestroyed()).isTrue();
            assertThat(t.a.device.currentSession(t.b.publicKey())).isNull();
            assertThat(t.a.device.publicKey()).contains(fresh.publicKey());

            t.b.device.apply(TwoDevices.peersOnly(TwoDevices.removePeer(oldA),
                    TwoDevices.peer(fresh.publicKey(), t.a.endpoint, A4 + "/32", A6 + "/128")));
            for (int i = 0; i < 5; i++) {
                byte[] p = IpPackets.ipv6(A6, B6, 200, i);
                assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
                byte[] q = IpPackets.ipv4(B4, A4, 300, i);
                assertThat(t.transfer(t.b, t.a, q)).isEqualTo(q);
            }
            assertThat(t.b.device.status().peers()).extracting(PeerStatus::publicKey).containsExactly(fresh.publicKey());
        }
    }

    @Test
    void aListenPortInUseFailsWithEaddrinuseAndChangesNothing() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            InMemoryBind squatter = t.network.bind(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 40000));
            squatter.open(0, (packet, source) -> { });
            DeviceStatus before = t.a.device.status();
            PublicKey extra = PrivateKey.generate(new SecureRandom()).publicKey();
            DeviceUpdate bad = new DeviceUpdate(Optional.of(Optional.of(PrivateKey.generate(new SecureRandom()))),
                    OptionalInt.of(40000), OptionalInt.of(7), false, List.of(TwoDevices.peer(extra, null, "100.64.5.0/24")));
            assertThatThrownBy(() -> t.a.device.apply(bad))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.errno()).isEqualTo(ConfigurationException.EADDRINUSE));
            DeviceStatus after = t.a.device.status();
            assertThat(after.listenPort()).isEqualTo(51820);
            assertThat(after.fwmark()).isEqualTo(before.fwmark());
            assertThat(after.privateKey()).isEqualTo(before.privateKey());
            assertThat(after.peers()).extracting(PeerStatus::publicKey).containsExactly(t.b.publicKey());
            assertThat(t.a.bind.port()).isEqualTo(51820);
            // and the device still works
            byte[] q = IpPackets.ipv4(B4, A4, 10, 2);
            assertThat(t.transfer(t.b, t.a, q)).isEqualTo(q);
            squatter.close();
        }
    }

    @Test
    void invalidValuesAreRefusedWithEinval() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            PublicKey k = PrivateKey.generate(new SecureRandom()).publicKey();
            DeviceUpdate port = new DeviceUpdate(Optional.empty(), OptionalInt.of(70000), OptionalInt.empty(), false, List.of());
            DeviceUpdate keepalive = TwoDevices.peersOnly(new PeerUpdate(k, false, false, Optional.empty(), Optional.empty(),
                    OptionalInt.of(-1), false, List.of()));
            DeviceUpdate endpoint = TwoDevices.peersOnly(new PeerUpdate(k, false, false, Optional.empty(),
                    Optional.of(InetSocketAddress.createUnresolved("example.invalid", 1)), OptionalInt.empty(), false, List.of()));
            for (DeviceUpdate u : List.of(port, keepalive, endpoint)) {
                assertThatThrownBy(() -> t.a.device.apply(u)).isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.errno()).isEqualTo(ConfigurationException.EINVAL));
            }
            assertThat(t.a.device.status().peers()).hasSize(1);
        }
    }

    @Test
    void peerOperationsFollowTheUapiSemantics() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            PublicKey c = PrivateKey.generate(new SecureRandom()).publicKey();
            PublicKey d = PrivateKey.generate(new SecureRandom()).publicKey();
            Device a = t.a.device;
            // update_only never creates
            a.apply(TwoDevices.peersOnly(new PeerUpdate(c, false, true, Optional.empty(), Optional.empty(),
                    OptionalInt.empty(), false, List.of())));
            assertThat(a.status().peers()).hasSize(1);
            // allowed IPs keep their insertion order; adding a prefix owned by another peer moves it
            a.apply(TwoDevices.peersOnly(TwoDevices.peer(c, null, "100.64.9.0/24", "fd00:9::/64", "100.64.8.0/24"),
                    TwoDevices.peer(d, null, "100.64.9.0/24")));
            PeerStatus cs = t.a.peer(c);
            assertThat(cs.allowedIps()).extracting(Object::toString).containsExactly("fd00:9::/64", "100.64.8.0/24");
            assertThat(t.a.peer(d).allowedIps()).extracting(Object::toString).containsExactly("100.64.9.0/24");
            // replace_allowed_ips
            a.apply(TwoDevices.peersOnly(new PeerUpdate(c, false, false, Optional.empty(), Optional.empty(),
                    OptionalInt.empty(), true, List.of(net.weft.topology.model.IpPrefix.parse("100.64.7.0/24")))));
            assertThat(t.a.peer(c).allowedIps()).extracting(Object::toString).containsExactly("100.64.7.0/24");
            // preshared key set and cleared
            PresharedKey psk = PresharedKey.generate(new SecureRandom());
            a.apply(TwoDevices.peersOnly(new PeerUpdate(c, false, false, Optional.of(Optional.of(psk)), Optional.empty(),
                    OptionalInt.empty(), false, List.of())));
            assertThat(t.a.peer(c).presharedKey()).contains(psk);
            a.apply(TwoDevices.peersOnly(new PeerUpdate(c, false, false, Optional.of(Optional.empty()), Optional.empty(),
                    OptionalInt.empty(), false, List.of())));
            assertThat(t.a.peer(c).presharedKey()).isEmpty();
            // peers are listed in the order they were added
            assertThat(a.status().peers()).extracting(PeerStatus::publicKey).containsExactly(t.b.publicKey(), c, d);
            // replace_peers keeps only the named ones (and their sessions)
            a.apply(new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true,
                    List.of(TwoDevices.peer(d, null))));
            assertThat(a.status().peers()).extracting(PeerStatus::publicKey).containsExactly(d);
            a.apply(TwoDevices.peersOnly(TwoDevices.removePeer(d)));
            assertThat(a.status().peers()).isEmpty();
            // our own public key is never a peer
            a.apply(TwoDevices.peersOnly(TwoDevices.peer(t.a.publicKey(), null, "100.64.6.0/24")));
            assertThat(a.status().peers()).isEmpty();
        }
    }

    @Test
    void aPrivateKeyEqualToAPeersKeyRemovesThatPeer() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            t.a.device.apply(TwoDevices.update(t.b.key));
            assertThat(t.a.device.status().peers()).isEmpty();
        }
    }

    @Test
    void withoutAPrivateKeyEverythingIsDropped() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            t.b.device.apply(new DeviceUpdate(Optional.of(Optional.empty()), OptionalInt.empty(), OptionalInt.empty(), false, List.of()));
            assertThat(t.b.device.status().privateKey()).isEmpty();
            t.a.inject(IpPackets.ipv4(A4, B4, 10, 2));
            t.pump(() -> t.b.device.counters().drops(DropReason.NO_PRIVATE_KEY) == 1);
            t.b.inject(IpPackets.ipv4(B4, A4, 10, 3));
            t.pump(() -> t.b.device.counters().drops(DropReason.NO_PRIVATE_KEY) == 2);
        }
    }
}
