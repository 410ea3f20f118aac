package net.weft.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerUpdate;
import net.weft.topology.map.GatewayDuty;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.map.Self;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;

class MapApplierTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final PublicKey B = PrivateKey.generate(RANDOM).publicKey();
    static final PublicKey C = PrivateKey.generate(RANDOM).publicKey();
    static final Self SELF = new Self("a", "a", List.of(IpPrefix.parse("100.64.0.1/32")), 1280, List.of());

    static Peer peer(String id, PublicKey key, String endpoint, String... allowed) {
        return new Peer(id, key, endpoint == null ? List.of() : List.of(Endpoint.parse(endpoint)),
                java.util.Arrays.stream(allowed).map(IpPrefix::parse).toList(), 0);
    }

    @Test
    void firstMapAddsEveryPeerWithItsEndpointAndAllowedIps() {
        NetworkMap m = new NetworkMap(1, SELF, List.of(peer("b", B, "203.0.113.2:51820", "100.64.0.2/32"),
                peer("c", C, null, "100.64.0.3/32")));
        DeviceUpdate u = MapApplier.update(null, m);
        assertThat(u.replacePeers()).isFalse();
        assertThat(u.peers()).hasSize(2);
        PeerUpdate b = u.peers().getFirst();
        assertThat(b.publicKey()).isEqualTo(B);
        assertThat(b.remove()).isFalse();
        assertThat(b.endpoint()).isPresent();
        assertThat(b.endpoint().get().getPort()).isEqualTo(51820);
        assertThat(b.replaceAllowedIps()).isTrue();
        assertThat(b.allowedIps()).containsExactly(IpPrefix.parse("100.64.0.2/32"));
        assertThat(u.peers().get(1).endpoint()).isEmpty();
    }

    @Test
    void anUnchangedPeerIsNotTouchedAndAChangedOneKeepsItsRoamedEndpoint() {
        Peer b = peer("b", B, "203.0.113.2:51820", "100.64.0.2/32");
        Peer c = peer("c", C, "203.0.113.3:51820", "100.64.0.3/32");
        NetworkMap v1 = new NetworkMap(1, SELF, List.of(b, c));
        Peer c2 = peer("c", C, "203.0.113.3:51820", "100.64.0.3/32", "198.18.0.0/24");
        NetworkMap v2 = new NetworkMap(2, SELF, List.of(b, c2));
        DeviceUpdate u = MapApplier.update(v1, v2);
        assertThat(u.peers()).singleElement().satisfies(p -> {
            assertThat(p.publicKey()).isEqualTo(C);
            assertThat(p.endpoint()).as("the map's endpoints did not change: the roamed one stays").isEmpty();
            assertThat(p.allowedIps()).containsExactly(IpPrefix.parse("100.64.0.3/32"), IpPrefix.parse("198.18.0.0/24"));
        });
        assertThat(MapApplier.update(v2, new NetworkMap(3, SELF, List.of(b, c2))).peers()).isEmpty();
    }

    @Test
    void newEndpointsAreSetAndRemovedOrRekeyedPeersAreRemoved() {
        NetworkMap v1 = new NetworkMap(1, SELF, List.of(peer("b", B, "203.0.113.2:51820", "100.64.0.2/32"),
                peer("c", C, "203.0.113.3:51820", "100.64.0.3/32")));
        PublicKey b2 = PrivateKey.generate(RANDOM).publicKey();
        NetworkMap v2 = new NetworkMap(2, SELF, List.of(peer("b", b2, "203.0.113.2:51820", "100.64.0.2/32"),
                peer("c", C, "203.0.113.9:51820", "100.64.0.3/32")));
        List<PeerUpdate> ups = MapApplier.update(v1, v2).peers();
        assertThat(ups).extracting(PeerUpdate::publicKey, PeerUpdate::remove)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(B, true), org.assertj.core.groups.Tuple.tuple(b2, false),
                        org.assertj.core.groups.Tuple.tuple(C, false));
        assertThat(ups.get(2).endpoint().orElseThrow().getAddress().getHostAddress()).isEqualTo("203.0.113.9");
    }

    @Test
    void anIpv4EndpointIsPreferred() {
        Peer p = new Peer("b", B, List.of(Endpoint.parse("[2001:db8::2]:51820"), Endpoint.parse("203.0.113.2:51820")),
                List.of(IpPrefix.parse("100.64.0.2/32")), 0);
        assertThat(MapApplier.endpoint(p).orElseThrow().getAddress().getHostAddress()).isEqualTo("203.0.113.2");
    }

    @Test
    void routesCoverEveryPeerPrefixButOwnAddressesAndOwnOnRamps() {
        GatewayDuty duty = new GatewayDuty("vpc", List.of(IpPrefix.parse("198.18.0.0/24")), true, List.of(), 1000, 2, false);
        Self gw = new Self("a", "a", List.of(IpPrefix.parse("100.64.0.1/32")), 1280, List.of(), false, List.of(duty));
        NetworkMap m = new NetworkMap(1, gw, List.of(
                peer("b", B, null, "100.64.0.2/32", "198.18.0.0/24", "198.18.1.0/24"),
                peer("c", C, null, "100.64.0.3/32", "100.64.0.1/32")));
        assertThat(MapApplier.routes(m)).containsExactly(IpPrefix.parse("100.64.0.2/32"), IpPrefix.parse("100.64.0.3/32"),
                IpPrefix.parse("198.18.1.0/24"));
    }
}
