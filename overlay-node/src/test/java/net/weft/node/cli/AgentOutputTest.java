package net.weft.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import net.weft.crypto.key.PrivateKey;
import net.weft.node.agent.AgentStatus;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;

class AgentOutputTest {

    @Test
    void statusShowsCoordinatorPeersRoutesAndGatewayDuties() {
        long now = 1_000_000_000L;
        AgentStatus s = new AgentStatus(42, "up", "n1", "site-a", "weft0", List.of(IpPrefix.parse("100.64.0.5/32")), 51820,
                "http://203.0.113.10:8080", true, null, 7, now, false,
                List.of(new AgentStatus.PeerView("gw-a", PrivateKey.generate(new SecureRandom()).publicKey(),
                        "203.0.113.21:51820", List.of(IpPrefix.parse("100.64.0.2/32"), IpPrefix.parse("198.18.0.0/24")),
                        now - 75_000, 3 * 1024 * 1024, 512)),
                List.of(new AgentStatus.GatewayView("demo-vpc", List.of(IpPrefix.parse("198.18.0.0/24")), false, true)),
                List.of(new AgentStatus.RouteView(IpPrefix.parse("198.18.0.0/24"), "gw-a")));
        String text = AgentOutput.status(s, now);
        assertThat(text).contains("node n1 (site-a)", "100.64.0.5/32", "on weft0, port 51820")
                .contains("coordinator http://203.0.113.10:8080  connected, map v7")
                .contains("gw-a", "203.0.113.21:51820", "1m 15s ago", "3.00 MiB", "512 B", "100.64.0.2/32, 198.18.0.0/24")
                .contains("198.18.0.0/24 via gw-a")
                .contains("gateway of on-ramp demo-vpc [198.18.0.0/24]: standby, healthy");
    }

    @Test
    void aDisconnectedNodeSaysItRunsOnTheLastMap() {
        AgentStatus s = new AgentStatus(42, "up", "n1", "h", "weft0", List.of(), 51820, "http://203.0.113.10:8080", false,
                "the coordinator at http://203.0.113.10:8080 cannot be reached", 3, 0, false, List.of(), List.of(), List.of());
        assertThat(AgentOutput.status(s, 0)).contains("not connected (tunnels run on the last map)")
                .contains("last error: the coordinator at http://203.0.113.10:8080 cannot be reached").contains("no peers");
    }

    @Test
    void agesAndSizes() {
        assertThat(AgentOutput.age(0, 5000)).isEqualTo("never");
        assertThat(AgentOutput.age(1000, 13_000)).isEqualTo("12s ago");
        assertThat(AgentOutput.age(0 + 1, 7_200_001)).isEqualTo("2h 0m ago");
        assertThat(AgentOutput.bytes(1023)).isEqualTo("1023 B");
        assertThat(AgentOutput.bytes(1536)).isEqualTo("1.50 KiB");
    }
}
