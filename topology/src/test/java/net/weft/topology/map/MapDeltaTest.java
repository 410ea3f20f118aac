package net.weft.topology.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;

class MapDeltaTest {

    static PublicKey key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return PublicKey.fromBytes(k);
    }

    static Peer peer(String id, int key, String... ips) {
        return new Peer(id, key(key), List.of(new Endpoint("198.51.100." + key, 51820)),
                java.util.Arrays.stream(ips).map(IpPrefix::parse).toList(), 0);
    }

    static final Self SELF = new Self("a", "a.lab", List.of(IpPrefix.parse("100.64.0.1")), 1280, List.of());

    @Test
    void diffListsAddedRemovedAndChangedPeers() {
        NetworkMap v1 = new NetworkMap(1, SELF, List.of(peer("b", 2, "100.64.0.2"), peer("c", 3, "100.64.0.3")));
        NetworkMap v2 = new NetworkMap(2, SELF, List.of(peer("d", 4, "100.64.0.4"),
                peer("c", 3, "100.64.0.3", "198.18.0.0/24")));
        MapDelta d = MapDelta.diff(v1, v2);
        assertThat(d.fromVersion()).isEqualTo(1);
        assertThat(d.toVersion()).isEqualTo(2);
        assertThat(d.self()).isNull();
        assertThat(d.added()).extracting(Peer::nodeId).containsExactly("d");
        assertThat(d.removed()).containsExactly("b");
        assertThat(d.changed()).extracting(Peer::nodeId).containsExactly("c");
        assertThat(d.apply(v1)).isEqualTo(v2);
    }

    @Test
    void deltaAppliesOnlyToItsFromVersion() {
        NetworkMap v1 = new NetworkMap(1, SELF, List.of(peer("b", 2, "100.64.0.2")));
        NetworkMap v2 = new NetworkMap(2, SELF, List.of());
        MapDelta d = MapDelta.diff(v1, v2);
        assertThatThrownBy(() -> d.apply(v2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delta a@1->2 does not apply to a@2");
    }

    @Test
    void canonicalJsonIsStableAndRoundTrips() throws Exception {
        NetworkMap map = new NetworkMap(5, SELF, List.of(peer("b", 2, "fd7a:115c:a1e0::2", "100.64.0.2")));
        String json = new String(CanonicalJson.toBytes(map), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"peers\":[{\"allowedIps\":[\"100.64.0.2/32\",\"fd7a:115c:a1e0::2/128\"],"
                + "\"endpoints\":[\"198.51.100.2:51820\"],\"nodeId\":\"b\",\"persistentKeepaliveSeconds\":0,"
                + "\"publicKey\":\"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=\"}],"
                + "\"self\":{\"addresses\":[\"100.64.0.1/32\"],\"gateways\":[],\"mtu\":1280,\"name\":\"a.lab\",\"nodeId\":\"a\","
                + "\"relay\":false,\"routes\":[]},"
                + "\"version\":5}");
        assertThat(CanonicalJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), NetworkMap.class)).isEqualTo(map);
    }
}
