package net.weft.topology.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.model.Endpoint;
import org.junit.jupiter.api.Test;

class PeerReportTest {

    @Test
    void canonicalJsonRoundTripsAndLeavesOutAMissingEndpoint() throws Exception {
        PeerReport withEndpoint = new PeerReport("n1", Endpoint.parse("198.51.100.9:51820"), 1500, 42, 1_764_460_800_000L);
        String json = new String(CanonicalJson.toBytes(withEndpoint), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"endpoint\":\"198.51.100.9:51820\",\"lastHandshakeMillis\":1764460800000,"
                + "\"nodeId\":\"n1\",\"rxBytes\":1500,\"txBytes\":42}");
        assertThat(CanonicalJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), PeerReport.class)).isEqualTo(withEndpoint);

        PeerReport never = new PeerReport("n2", null, 0, 0, 0);
        String bare = new String(CanonicalJson.toBytes(never), StandardCharsets.UTF_8);
        assertThat(bare).isEqualTo("{\"lastHandshakeMillis\":0,\"nodeId\":\"n2\",\"rxBytes\":0,\"txBytes\":0}");
        assertThat(CanonicalJson.fromBytes(bare.getBytes(StandardCharsets.UTF_8), PeerReport.class)).isEqualTo(never);
    }

    @Test
    void negativeCountersAndBlankOrLongIdsAreRefused() {
        assertThatThrownBy(() -> new PeerReport("n1", null, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerReport("n1", null, 0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerReport("n1", null, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerReport(" ", null, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerReport("", null, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerReport(null, null, 0, 0, 0)).isInstanceOf(NullPointerException.class);
        String longest = "a".repeat(PeerReport.MAX_NODE_ID_CHARS);
        assertThat(new PeerReport(longest, null, 0, 0, 0).nodeId()).isEqualTo(longest);
        assertThatThrownBy(() -> new PeerReport(longest + "a", null, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNegativeCounterOnTheWireDoesNotParse() {
        assertThatThrownBy(() -> CanonicalJson.fromBytes(
                "{\"nodeId\":\"n1\",\"rxBytes\":-5,\"txBytes\":0,\"lastHandshakeMillis\":0}".getBytes(StandardCharsets.UTF_8),
                PeerReport.class)).isInstanceOf(java.io.IOException.class);
    }
}
