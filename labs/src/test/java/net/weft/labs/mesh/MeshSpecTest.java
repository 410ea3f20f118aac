package net.weft.labs.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Role;
import net.weft.topology.spec.NetworkSpec;
import net.weft.topology.spec.SpecParser;
import net.weft.topology.spec.NodeDeclaration;
import org.junit.jupiter.api.Test;

/** The YAML the mesh labs write is a spec topology's parser accepts, and says what the lab meant. */
class MeshSpecTest {

    private static final SpecParser PARSER = new SpecParser(IpPrefix.parse("fd00:77::/48"), Set.of());

    @Test
    void theDemoSpecParsesWithItsOnRampGatewaysAndHealthCheck() throws Exception {
        NetworkSpec spec = PARSER.parse("demo.yaml", Demo.spec("198.18.0.0/24", "198.18.0.10:80").toYaml());

        assertThat(spec.network().gatewayHoldDown()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.nodes()).extracting(NodeDeclaration::id).containsExactly("gw-a", "gw-b", "relay", "site-a", "site-b");
        NodeDeclaration relay = spec.nodes().stream().filter(n -> n.id().equals("relay")).findFirst().orElseThrow();
        assertThat(relay.roles()).containsExactly(Role.RELAY);
        assertThat(relay.reachable()).isTrue();
        assertThat(spec.nodes().stream().filter(n -> n.id().startsWith("site-"))).allSatisfy(n -> assertThat(n.reachable()).isFalse());

        OnRamp ramp = spec.onRamps().getFirst();
        assertThat(ramp.name()).isEqualTo(Demo.ON_RAMP);
        assertThat(ramp.cidrs()).containsExactly(IpPrefix.parse("198.18.0.0/24"));
        assertThat(ramp.gateways()).extracting(g -> g.node() + "=" + g.priority()).containsExactly("gw-a=200", "gw-b=100");
        assertThat(ramp.snat()).isTrue();
        assertThat(ramp.healthCheck().interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(ramp.healthCheck().failureThreshold()).isEqualTo(2);
        assertThat(ramp.healthCheck().targets()).extracting(Object::toString).containsExactly("198.18.0.10:80");
    }

    @Test
    void relaysWithBackboneLinksAndRegionsParse() throws Exception {
        MeshSpec mesh = MeshSpec.network("line", "1m")
                .withNode("r1", true, "relay").withRegion("r1", "west")
                .withNode("r2", true, "relay").withNode("r3", true, "relay")
                .withNode("a", false, "member").withRegion("a", "west")
                .withBackboneLink("r1-r2", "r1", "r2", 10).withBackboneLink("r2-r3", "r2", "r3", 20);

        NetworkSpec spec = PARSER.parse("line.yaml", mesh.toYaml());

        assertThat(spec.links()).extracting(l -> l.a() + "-" + l.b() + ":" + l.cost()).containsExactly("r1-r2:10", "r2-r3:20");
        assertThat(spec.nodes()).extracting(n -> n.id() + "@" + n.region()).containsExactly("a@west", "r1@west", "r2@",
                "r3@");
        assertThat(spec.onRamps()).isEmpty();
    }

    @Test
    void aRegionNeedsADeclaredNode() {
        MeshSpec mesh = MeshSpec.network("line", "1m").withNode("r1", true, "relay");

        assertThatThrownBy(() -> mesh.withRegion("r9", "west")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("r9");
    }
}
