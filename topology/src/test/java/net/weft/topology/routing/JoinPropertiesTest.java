package net.weft.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.MapDelta;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Node;
import net.weft.topology.model.Role;
import net.weft.topology.testing.SyntheticMesh;
import org.junit.jupiter.api.Test;

/**
 * The fast paths against the slow definitions, on random topologies, many seeds per run: every map the
 * plan assembles equals the pair-by-pair {@link ReferenceRouting} map, and {@link RoutingPlan#join}
 * gives exactly the deltas {@code diff(old full maps, new full maps)} of a plan computed from scratch,
 * plus the newcomer's full map, and a plan equal to the from-scratch one (checked by chaining joins).
 * Every assertion names its seed: replay with {@code RandomTopologies.generate(seed)} or
 * {@code SyntheticMesh.generate(size, seed)}.
 */
class JoinPropertiesTest {

    static final int SEEDS = 300;
    static final int JOINS_PER_SEED = 4;

    @Test
    void mapsEqualThePairByPairDefinition() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            RoutingPlan plan = RandomTopologies.generate(seed).plan();
            assertMapsMatchReference(plan, "seed " + seed);
        }
        for (long seed = 1; seed <= 5; seed++) {
            assertMapsMatchReference(SyntheticMesh.generate(80, seed).plan(), "synthetic seed " + seed);
        }
    }

    private static void assertMapsMatchReference(RoutingPlan plan, String what) {
        SortedMap<String, NetworkMap> maps = plan.allMaps(3);
        assertThat(maps.keySet()).as(what).isEqualTo(plan.topology().nodes().keySet());
        for (String id : plan.topology().nodes().keySet()) {
            NetworkMap expected = ReferenceRouting.map(plan, id, 3);
            assertThat(maps.get(id)).as("%s node %s", what, id).isEqualTo(expected);
            assertThat(CanonicalJson.toBytes(maps.get(id))).as("%s node %s", what, id)
                    .isEqualTo(CanonicalJson.toBytes(expected));
            for (String other : plan.topology().nodes().keySet()) {
                assertThat(plan.firstHop(id, other)).as("%s hop %s->%s", what, id, other)
                        .isEqualTo(ReferenceRouting.firstHop(plan, id, other));
            }
        }
    }

    @Test
    void joinGivesTheDiffOfFullRecomputation() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomTopologies.Case c = RandomTopologies.generate(seed);
            Random r = new Random(seed * 7919);
            Set<String> online = new HashSet<>(c.online());
            RoutingPlan plan = c.plan();
            for (int step = 0; step < JOINS_PER_SEED; step++) {
                Node newcomer = newcomer(r, plan, seed, step);
                plan = joinAndCheck(plan, online, c.activeGateways(), newcomer, 10 + step, "seed " + seed + " step " + step);
            }
        }
    }

    @Test
    void joinsIntoSyntheticMeshesGiveTheDiffOfFullRecomputation() {
        for (long seed = 1; seed <= 8; seed++) {
            SyntheticMesh mesh = SyntheticMesh.generate(120, seed);
            Set<String> online = mesh.online();
            RoutingPlan plan = mesh.plan();
            for (int step = 0; step < 6; step++) {
                Node newcomer = mesh.newcomer(step % 3 != 0);
                plan = joinAndCheck(plan, online, mesh.activeGateways(), newcomer, 10 + step,
                        "synthetic seed " + seed + " step " + step);
            }
        }
    }

    @Test
    void joinRejectsClaimedAddressesLikeTheFullComputation() {
        RandomTopologies.Case c = RandomTopologies.generate(5);
        RoutingPlan plan = c.plan();
        Node taken = plan.topology().nodeList().get(0);
        Node copycat = new Node("zz-copycat", "copycat", RandomTopologies.key(new Random(1)), taken.addresses(),
                List.of(), Set.of(Role.MEMBER), List.of(), true, "r1");
        assertThatThrownBy(() -> plan.join(copycat, 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is claimed by node " + taken.id() + " and node zz-copycat");
        Set<String> online = new HashSet<>(c.online());
        online.add(copycat.id());
        assertThatThrownBy(() -> new RoutingPlan(plan.topology().withNode(copycat), online, c.activeGateways()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Joins {@code newcomer} both ways and compares; returns the incremental plan, so the next join starts
     * from the state the fast path left.
     */
    private static RoutingPlan joinAndCheck(RoutingPlan before, Set<String> online, Map<String, String> active,
                                            Node newcomer, long version, String what) {
        online.add(newcomer.id());
        RoutingPlan scratch;
        try {
            scratch = new RoutingPlan(before.topology().withNode(newcomer), online, active);
        } catch (IllegalArgumentException e) {
            assertThatThrownBy(() -> before.join(newcomer, version, version + 1)).as(what)
                    .isInstanceOf(IllegalArgumentException.class);
            online.remove(newcomer.id());
            return before;
        }
        PlanChange change = before.join(newcomer, version, version + 1);
        SortedMap<String, NetworkMap> oldMaps = before.allMaps(version);
        SortedMap<String, NetworkMap> newMaps = scratch.allMaps(version + 1);

        Map<String, MapDelta> got = new HashMap<>();
        String previous = "";
        for (MapDelta d : change.deltas()) {
            assertThat(d.nodeId()).as("%s: deltas sorted and unique", what).isGreaterThan(previous);
            previous = d.nodeId();
            got.put(d.nodeId(), d);
        }
        assertThat(got).as("%s: no delta for the newcomer", what).doesNotContainKey(newcomer.id());
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, NetworkMap> e : newMaps.entrySet()) {
            String id = e.getKey();
            if (id.equals(newcomer.id())) {
                continue;
            }
            MapDelta expected = MapDelta.diff(oldMaps.get(id), e.getValue());
            if (expected.isEmpty()) {
                assertThat(got).as("%s: %s's map does not change", what, id).doesNotContainKey(id);
                continue;
            }
            changed.add(id);
            assertThat(got.get(id)).as("%s: delta of %s", what, id).isEqualTo(expected);
            assertThat(CanonicalJson.toBytes(got.get(id))).as("%s: delta bytes of %s", what, id)
                    .isEqualTo(CanonicalJson.toBytes(expected));
            assertThat(got.get(id).apply(oldMaps.get(id))).as("%s: %s applied", what, id).isEqualTo(e.getValue());
        }
        assertThat(got.keySet()).as("%s: nothing but the changed maps", what).containsExactlyInAnyOrderElementsOf(changed);
        assertThat(change.fullMaps()).as(what).hasSize(1);
        assertThat(CanonicalJson.toBytes(change.fullMaps().get(0))).as("%s: the newcomer's map", what)
                .isEqualTo(CanonicalJson.toBytes(newMaps.get(newcomer.id())));

        SortedMap<String, NetworkMap> incremental = change.plan().allMaps(version + 1);
        assertThat(incremental.keySet()).as(what).isEqualTo(newMaps.keySet());
        // equal values serialize to equal bytes (MapDeltaTest, RoutingPropertiesTest): values suffice here
        newMaps.forEach((id, map) -> assertThat(incremental.get(id)).as("%s: the joined plan's map of %s", what, id)
                .isEqualTo(map));
        assertThat(change.plan().activeRelays()).as(what).isEqualTo(scratch.activeRelays());
        return change.plan();
    }

    /**
     * A random newcomer: mostly a fresh member (reachable or not, sometimes with a gateway role or a
     * relay role, which behind NAT changes nothing), sometimes a new active relay, sometimes a node that
     * comes back under an existing id with new endpoints, rarely one whose address is taken.
     */
    private static Node newcomer(Random r, RoutingPlan plan, long seed, int step) {
        List<Node> existing = plan.topology().nodeList();
        int kind = r.nextInt(20);
        if (kind == 0) {
            Node back = existing.get(r.nextInt(existing.size()));
            return back.withEndpoints(List.of(new Endpoint("198.51.100." + (1 + r.nextInt(254)), 51820)));
        }
        String[] prefixes = {"a-", "gw-", "m-", "n-", "relay-", "z-"};
        String id;
        do {
            id = prefixes[r.nextInt(prefixes.length)] + Integer.toString(r.nextInt(100_000), 36);
        } while (plan.topology().node(id) != null);
        int host = (int) (seed % 200) * 10 + step + 1;
        List<IpPrefix> addresses = kind == 1
                ? existing.get(r.nextInt(existing.size())).addresses()
                : List.of(IpPrefix.parse("100.100." + (host >> 8) + "." + (host & 0xff)),
                IpPrefix.parse("fd7a:115c:a1e0:1::" + Integer.toHexString(host)));
        boolean reachable = r.nextBoolean();
        Set<Role> roles = switch (r.nextInt(6)) {
            case 0 -> Set.of(Role.RELAY);
            case 1 -> Set.of(Role.MEMBER, Role.GATEWAY);
            default -> Set.of(Role.MEMBER);
        };
        List<Endpoint> endpoints = r.nextBoolean() ? List.of(new Endpoint("203.0.113." + (1 + r.nextInt(254)), 51820))
                : List.of();
        return new Node(id, id + ".lab", RandomTopologies.key(r), addresses, List.of(), roles, endpoints, reachable,
                RandomTopologies.REGIONS.get(r.nextInt(RandomTopologies.REGIONS.size())));
    }
}
