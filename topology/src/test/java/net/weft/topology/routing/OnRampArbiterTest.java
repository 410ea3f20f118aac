package net.weft.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.HealthCheck;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.LiveState;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Provider;
import net.weft.topology.model.Topology;
import org.junit.jupiter.api.Test;

class OnRampArbiterTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Duration HOLD = Duration.ofSeconds(30);

    final Random r = new Random(1);
    final Topology topology = new Topology(RandomTopologies.NETWORK,
            List.of(Node.member("gw-a", RandomTopologies.key(r), List.of(IpPrefix.parse("100.64.0.1")), true),
                    Node.member("gw-b", RandomTopologies.key(r), List.of(IpPrefix.parse("100.64.0.2")), true),
                    Node.member("gw-c", RandomTopologies.key(r), List.of(IpPrefix.parse("100.64.0.3")), true)),
            List.of(new OnRamp("aws", Provider.AWS, "us-east-1", "vpc-1", List.of(IpPrefix.parse("198.18.0.0/24")),
                    List.of(new Gateway("gw-b", 100), new Gateway("gw-a", 200), new Gateway("gw-c", 100)), true,
                    HealthCheck.DEFAULT)),
            List.of());

    static LiveState healthy(long atSeconds, String... gateways) {
        return new LiveState(Set.of("gw-a", "gw-b", "gw-c"), Map.of("aws", Set.of(gateways)), T0.plusSeconds(atSeconds));
    }

    String active(OnRampArbiter arbiter, LiveState live) {
        return arbiter.observe(topology, live).get("aws");
    }

    @Test
    void highestPriorityHealthyGatewayIsActiveFromTheStart() {
        OnRampArbiter arbiter = new OnRampArbiter(HOLD);
        assertThat(active(arbiter, healthy(0, "gw-a", "gw-b", "gw-c"))).isEqualTo("gw-a");
    }

    @Test
    void failoverGoesToNextHealthyWithTiesBrokenByNodeId() {
        OnRampArbiter arbiter = new OnRampArbiter(HOLD);
        active(arbiter, healthy(0, "gw-a", "gw-b", "gw-c"));
        assertThat(active(arbiter, healthy(100, "gw-b", "gw-c"))).isEqualTo("gw-b");
        assertThat(active(arbiter, healthy(101, "gw-c"))).isEqualTo("gw-c");
        assertThat(arbiter.observe(topology, healthy(102)).containsKey("aws")).as("no healthy gateway").isFalse();
    }

    @Test
    void recoveredGatewayTakesOverOnlyAfterTheHoldDown() {
        OnRampArbiter arbiter = new OnRampArbiter(HOLD);
        active(arbiter, healthy(0, "gw-a", "gw-b"));
        assertThat(active(arbiter, healthy(10, "gw-b"))).isEqualTo("gw-b");
        assertThat(active(arbiter, healthy(20, "gw-a", "gw-b"))).as("recovered at 20").isEqualTo("gw-b");
        assertThat(active(arbiter, healthy(49, "gw-a", "gw-b"))).as("29 s later").isEqualTo("gw-b");
        assertThat(active(arbiter, healthy(50, "gw-a", "gw-b"))).as("hold-down served").isEqualTo("gw-a");
    }

    @Test
    void flappingGatewayNeverTakesOver() {
        OnRampArbiter arbiter = new OnRampArbiter(HOLD);
        active(arbiter, healthy(0, "gw-a", "gw-b"));
        for (int t = 10; t < 300; t += 20) {
            assertThat(active(arbiter, healthy(t, "gw-b"))).isEqualTo("gw-b");
            assertThat(active(arbiter, healthy(t + 10, "gw-a", "gw-b"))).as("t=%d", t + 10).isEqualTo("gw-b");
        }
    }

    @Test
    void unprovenGatewayIsUsedWhenNothingElseIsHealthy() {
        OnRampArbiter arbiter = new OnRampArbiter(HOLD);
        active(arbiter, healthy(0, "gw-a", "gw-b"));
        active(arbiter, healthy(10, "gw-b"));
        active(arbiter, healthy(20, "gw-a", "gw-b"));
        assertThat(active(arbiter, healthy(21, "gw-a"))).isEqualTo("gw-a");
    }

    @Test
    void offlineGatewayCountsAsUnhealthy() {
        OnRampArbiter arbiter = new OnRampArbiter(HOLD);
        LiveState aOffline = new LiveState(Set.of("gw-b"), Map.of("aws", Set.of("gw-a", "gw-b")), T0);
        assertThat(active(arbiter, aOffline)).isEqualTo("gw-b");
    }

    @Test
    void resumedArbiterDecidesLikeTheOriginal() {
        OnRampArbiter a = new OnRampArbiter(HOLD);
        active(a, healthy(0, "gw-a", "gw-b"));
        active(a, healthy(10, "gw-b"));
        active(a, healthy(20, "gw-a", "gw-b"));
        OnRampArbiter b = new OnRampArbiter(HOLD, a.state(), a.lastObserved());
        for (long t : new long[]{30, 49, 50, 60}) {
            assertThat(active(b, healthy(t, "gw-a", "gw-b"))).isEqualTo(active(a, healthy(t, "gw-a", "gw-b")));
        }
        assertThat(b.state()).isEqualTo(a.state());
    }

    @Test
    void snapshotsMustNotGoBackInTime() {
        OnRampArbiter arbiter = new OnRampArbiter(HOLD);
        active(arbiter, healthy(10, "gw-a"));
        assertThatThrownBy(() -> active(arbiter, healthy(9, "gw-a"))).isInstanceOf(IllegalArgumentException.class);
    }
}
