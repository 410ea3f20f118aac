package net.weft.topology.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.MapDelta;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Self;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;

class WireTest {

    static final PublicKey KEY = PublicKey.fromBase64("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
    static final NetworkMap MAP = new NetworkMap(1,
            new Self("n1", "host", List.of(IpPrefix.parse("100.64.0.1")), 1280, List.of()), List.of());

    @Test
    void joinRequestCarriesTokenPublicKeyAndHostname() throws Exception {
        JoinRequest req = new JoinRequest(Protocol.PROTOCOL_VERSION, "tok-secret", KEY, "host",
                List.of(Endpoint.parse("192.0.2.7:51820")));
        String json = new String(CanonicalJson.toBytes(req), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"endpoints\":[\"192.0.2.7:51820\"],\"hostname\":\"host\",\"protocolVersion\":" + Protocol.PROTOCOL_VERSION + ","
                + "\"publicKey\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\",\"token\":\"tok-secret\"}");
        assertThat(CanonicalJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), JoinRequest.class)).isEqualTo(req);
        assertThat(req.toString()).doesNotContain("tok-secret");
    }

    @Test
    void joinResponseRoundTripsAndHidesTheCredential() throws Exception {
        JoinResponse resp = new JoinResponse(1, "n1", List.of(IpPrefix.parse("100.64.0.1")), "cred-secret", MAP);
        assertThat(CanonicalJson.fromBytes(CanonicalJson.toBytes(resp), JoinResponse.class)).isEqualTo(resp);
        assertThat(resp.toString()).doesNotContain("cred-secret");
    }

    @Test
    void mapUpdateIsFullOrDeltaAndApplies() throws Exception {
        NetworkMap v2 = new NetworkMap(2, new Self("n1", "renamed", List.of(IpPrefix.parse("100.64.0.1")), 1280,
                List.of()), List.of());
        MapUpdate delta = MapUpdate.delta(MapDelta.diff(MAP, v2));
        MapUpdate back = CanonicalJson.fromBytes(CanonicalJson.toBytes(delta), MapUpdate.class);
        assertThat(back.applyTo(MAP)).isEqualTo(v2);
        assertThat(back.toVersion()).isEqualTo(2);
        assertThat(MapUpdate.full(MAP).applyTo(null)).isEqualTo(MAP);
        assertThatThrownBy(() -> new MapUpdate(1, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> back.applyTo(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsRoundTripAndUnknownFieldsFromNewerPeersAreIgnored() throws Exception {
        HealthReport h = new HealthReport(1, "aws", false,
                List.of(new HealthReport.Probe(Endpoint.parse("198.18.0.10:80"), false, 0)), 1234);
        assertThat(CanonicalJson.fromBytes(CanonicalJson.toBytes(h), HealthReport.class)).isEqualTo(h);
        EndpointReport e = CanonicalJson.fromBytes(
                "{\"protocolVersion\":2,\"endpoints\":[\"[2001:db8::7]:51820\"],\"reportedAtMillis\":5,\"future\":true}"
                        .getBytes(StandardCharsets.UTF_8), EndpointReport.class);
        assertThat(e.endpoints()).containsExactly(Endpoint.parse("[2001:db8::7]:51820"));
    }

    @Test
    void badKeysAreRejectedOnRead() {
        assertThatThrownBy(() -> CanonicalJson.fromBytes(
                "{\"token\":\"t\",\"publicKey\":\"short\",\"hostname\":\"h\"}".getBytes(StandardCharsets.UTF_8),
                JoinRequest.class)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void versionSupport() {
        assertThat(Protocol.isSupported(Protocol.PROTOCOL_VERSION)).isTrue();
        assertThat(Protocol.isSupported(Protocol.PROTOCOL_VERSION + 1)).isFalse();
        assertThat(Protocol.isSupported(0)).isFalse();
    }

    @Test
    void aVersionOneSelfReadsAsNeitherRelayNorGatewayAndVersionTwoDutiesRoundTrip() throws Exception {
        String v1 = "{\"addresses\":[\"100.64.0.1/32\"],\"mtu\":1280,\"name\":\"h\",\"nodeId\":\"n1\",\"routes\":[]}";
        Self old = CanonicalJson.fromBytes(v1.getBytes(StandardCharsets.UTF_8), Self.class);
        assertThat(old.relay()).isFalse();
        assertThat(old.gateways()).isEmpty();
        net.weft.topology.map.GatewayDuty duty = new net.weft.topology.map.GatewayDuty("vpc",
                List.of(IpPrefix.parse("198.18.0.0/24")), true, List.of(Endpoint.parse("198.18.0.10:80")), 500, 2, true);
        Self gw = new Self("n1", "h", List.of(IpPrefix.parse("100.64.0.1")), 1280, List.of(IpPrefix.parse("198.18.0.0/24")),
                true, List.of(duty));
        assertThat(CanonicalJson.fromBytes(CanonicalJson.toBytes(gw), Self.class)).isEqualTo(gw);
    }
}
