package net.weft.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.HealthCheck;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Provider;
import net.weft.topology.model.Role;
import net.weft.topology.model.Topology;
import org.junit.jupiter.api.Test;

/**
 * Hand-built topologies. Relays r-east, r-mid, r-west in a line (east-mid 1, mid-west 1) plus a
 * direct east-west link of cost 2: two least-cost paths tie, and the tie-break must pick one for
 * both directions.
 */
class RoutingPlanTest {

    final Random random = new Random(11);
    int nextHost = 1;

    Node node(String id, boolean reachable, String region, Role... roles) {
        int h = nextHost++;
        return new Node(id, id, RandomTopologies.key(random),
                List.of(IpPrefix.parse("100.64.0." + h), IpPrefix.parse("fd7a:115c:a1e0::" + Integer.toHexString(h))),
                List.of(), roles.length == 0 ? Set.of(Role.MEMBER) : Set.of(roles),
                List.of(new Endpoint("192.0.2." + h, 51820)), reachable, region);
    }

    final Node east = node("r-east", true, "east", Role.RELAY);
    final Node mid = node("r-mid", true, "mid", Role.RELAY);
    final Node west = node("r-west", true, "west", Role.RELAY);
    final Node pub = node("m-public", true, "east");
    final Node natEast = node("nat-east", false, "east");
    final Node natEast2 = node("nat-east2", false, "east");
    final Node natWest = node("nat-west", false, "west");
    final Node gw = node("gw-nat", false, "west", Role.GATEWAY);
    final List<BackboneLink> links = List.of(new BackboneLink("em", "r-east", "r-mid", 1),
            new BackboneLink("mw", "r-mid", "r-west", 1), new BackboneLink("ew", "r-east", "r-west", 2));
    final OnRamp ramp = new OnRamp("aws", Provider.AWS, "west", "vpc-1", List.of(IpPrefix.parse("198.18.0.0/24")),
            List.of(new Gateway("gw-nat", 100)), true, HealthCheck.DEFAULT);
    final List<Node> all = List.of(east, mid, west, pub, natEast, natEast2, natWest, gw);
    final Set<String> everyone = Set.of("r-east", "r-mid", "r-west", "m-public", "nat-east", "nat-east2", "nat-west", "gw-nat");

    RoutingPlan plan(Set<String> online) {
        return new RoutingPlan(new Topology(RandomTopologies.NETWORK, all, List.of(ramp), links), online,
                Map.of("aws", "gw-nat"));
    }

    @Test
    void reachableNodesPeerDirectlyWithEveryone() {
        RoutingPlan plan = plan(everyone);
        assertThat(plan.firstHop("m-public", "nat-west")).isEqualTo("nat-west");
        assertThat(plan.firstHop("nat-west", "m-public")).isEqualTo("m-public");
        NetworkMap map = plan.mapFor("m-public", 3);
        Peer natPeer = map.peer("nat-west");
        assertThat(natPeer.allowedIps()).containsExactlyElementsOf(natWest.addresses());
        assertThat(natPeer.persistentKeepaliveSeconds()).isEqualTo(25);
        assertThat(map.peer("r-east").persistentKeepaliveSeconds()).isZero();
        assertThat(map.self().mtu()).isEqualTo(1280);
        assertThat(map.version()).isEqualTo(3);
    }

    @Test
    void natNodesInOneRegionMeetAtTheirHomeRelay() {
        RoutingPlan plan = plan(everyone);
        assertThat(plan.homeRelay("nat-east")).isEqualTo("r-east");
        assertThat(plan.firstHop("nat-east", "nat-east2")).isEqualTo("r-east");
        assertThat(plan.firstHop("r-east", "nat-east2")).isEqualTo("nat-east2");
        Peer relay = plan.mapFor("nat-east", 1).peer("r-east");
        assertThat(relay.allowedIps()).contains(natEast2.addresses().get(0), east.addresses().get(0));
        assertThat(relay.persistentKeepaliveSeconds()).isEqualTo(25);
    }

    @Test
    void backbonePathIsLeastCostWithTiesBrokenTheSameWayInBothDirections() {
        RoutingPlan plan = plan(everyone);
        // east-mid-west and east-west both cost 2. Links are numbered by their ends (em=0, ew=1, mw=2) and
        // link i adds 2^i below the cost: the path avoiding the highest-numbered link wins, here the direct one
        assertThat(plan.firstHop("r-east", "nat-west")).isEqualTo("r-west");
        assertThat(plan.firstHop("r-west", "nat-east")).isEqualTo("r-east");
        assertThat(plan.firstHop("r-mid", "nat-west")).isEqualTo("r-west");
        assertThat(plan.firstHop("r-mid", "nat-east")).isEqualTo("r-east");
        assertThat(plan.firstHop("r-east", "r-west")).isEqualTo("r-west");
        assertThat(plan.firstHop("nat-east", "nat-west")).isEqualTo("r-east");
        assertThat(plan.firstHop("nat-west", "nat-east")).isEqualTo("r-west");
    }

    @Test
    void cheaperLinkWinsAndOfflineRelayIsRoutedAround() {
        List<BackboneLink> cheap = new ArrayList<>(links);
        cheap.set(2, new BackboneLink("ew", "r-east", "r-west", 1));
        RoutingPlan plan = new RoutingPlan(new Topology(RandomTopologies.NETWORK, all, List.of(ramp), cheap), everyone,
                Map.of());
        assertThat(plan.firstHop("r-east", "nat-west")).isEqualTo("r-west");

        Set<String> midDown = new java.util.HashSet<>(everyone);
        midDown.remove("r-mid");
        RoutingPlan around = plan(midDown);
        assertThat(around.firstHop("r-east", "nat-west")).isEqualTo("r-west");
        assertThat(around.firstHop("nat-east", "r-mid")).as("an offline relay is a plain reachable node").isEqualTo("r-mid");
    }

    @Test
    void onRampCidrsFollowTheActiveGatewayEvenThroughRelays() {
        RoutingPlan plan = plan(everyone);
        IpPrefix vpc = IpPrefix.parse("198.18.0.0/24");
        assertThat(plan.mapFor("m-public", 1).peer("gw-nat").allowedIps()).contains(vpc);
        assertThat(plan.mapFor("nat-east", 1).peer("r-east").allowedIps()).contains(vpc);
        assertThat(plan.mapFor("r-mid", 1).peer("r-west").allowedIps()).contains(vpc);
        assertThat(plan.mapFor("gw-nat", 1).self().routes()).containsExactly(vpc);
        RoutingPlan none = new RoutingPlan(new Topology(RandomTopologies.NETWORK, all, List.of(ramp), links), everyone,
                Map.of());
        assertThat(none.mapFor("m-public", 1).peers()).allSatisfy(p -> assertThat(p.allowedIps()).doesNotContain(vpc));
    }

    @Test
    void withoutRelaysNatNodesCannotReachEachOther() {
        RoutingPlan plan = plan(Set.of("m-public", "nat-east", "nat-west"));
        assertThat(plan.homeRelay("nat-east")).isNull();
        assertThat(plan.firstHop("nat-east", "nat-west")).isNull();
        assertThat(plan.mapFor("nat-east", 1).peer("nat-west")).isNull();
    }

    @Test
    void overlappingClaimsAreRejected() {
        OnRamp bad = new OnRamp("bad", Provider.GENERIC, "x", "v", List.of(IpPrefix.parse("100.64.0.0/24")),
                List.of(new Gateway("gw-nat", 1)), false, HealthCheck.DEFAULT);
        assertThatThrownBy(() -> new RoutingPlan(new Topology(RandomTopologies.NETWORK, all, List.of(bad), links),
                everyone, Map.of("bad", "gw-nat")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlaps 100.64.0.0/24");
        assertThatThrownBy(() -> new RoutingPlan(new Topology(RandomTopologies.NETWORK, all, List.of(ramp), links),
                everyone, Map.of("aws", "m-public")))
                .hasMessage("m-public is not a gateway of on-ramp aws");
    }
}
