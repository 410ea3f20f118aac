package net.weft.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.MapDelta;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Topology;
import net.weft.topology.trie.PrefixTrie;
import org.junit.jupiter.api.Test;

/**
 * Properties of routing over random topologies, many seeds per run. Every assertion names its seed:
 * replay a failure with {@code RandomTopologies.generate(seed)}.
 */
class RoutingPropertiesTest {

    static final int SEEDS = 300;

    @Test
    void shuffledInputGivesByteIdenticalMaps() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomTopologies.Case c = RandomTopologies.generate(seed);
            Map<String, byte[]> expected = bytes(c.plan().allMaps(7));
            Random r = new Random(seed * 31);
            for (int round = 0; round < 3; round++) {
                List<Node> nodes = new ArrayList<>(c.nodes());
                List<OnRamp> ramps = new ArrayList<>(c.onRamps());
                List<BackboneLink> links = new ArrayList<>(c.links());
                Collections.shuffle(nodes, r);
                Collections.shuffle(ramps, r);
                Collections.shuffle(links, r);
                List<String> online = new ArrayList<>(c.online());
                Collections.shuffle(online, r);
                List<Map.Entry<String, String>> gws = new ArrayList<>(c.activeGateways().entrySet());
                Collections.shuffle(gws, r);
                Map<String, String> active = new LinkedHashMap<>();
                gws.forEach(e -> active.put(e.getKey(), e.getValue()));
                RoutingPlan plan = new RoutingPlan(new Topology(RandomTopologies.NETWORK, nodes, ramps, links),
                        new LinkedHashSet<>(online), active);
                Map<String, byte[]> actual = bytes(plan.allMaps(7));
                assertThat(actual.keySet()).as("seed %d", seed).isEqualTo(expected.keySet());
                for (String id : expected.keySet()) {
                    assertThat(actual.get(id)).as("seed %d node %s", seed, id).isEqualTo(expected.get(id));
                }
            }
        }
    }

    private static Map<String, byte[]> bytes(SortedMap<String, NetworkMap> maps) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        maps.forEach((k, v) -> out.put(k, CanonicalJson.toBytes(v)));
        return out;
    }

    /** Following first hops from s to d never loops, only passes through active relays, and retraces exactly backwards. */
    @Test
    void pathsAreLoopFreeAndSymmetric() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomTopologies.Case c = RandomTopologies.generate(seed);
            RoutingPlan plan = c.plan();
            List<String> ids = new ArrayList<>(c.topology().nodes().keySet());
            for (String s : ids) {
                for (String d : ids) {
                    if (s.equals(d)) {
                        continue;
                    }
                    List<String> there = path(plan, s, d, ids.size(), seed);
                    List<String> back = path(plan, d, s, ids.size(), seed);
                    assertThat(there == null).as("seed %d: %s->%d connected both ways or neither", seed, s, d)
                            .isEqualTo(back == null);
                    if (there == null) {
                        continue;
                    }
                    List<String> reversed = new ArrayList<>(back);
                    Collections.reverse(reversed);
                    assertThat(there).as("seed %d: path %s->%s is the reverse of %s->%s", seed, s, d, d, s)
                            .isEqualTo(reversed);
                    for (String mid : there.subList(1, there.size() - 1)) {
                        assertThat(plan.activeRelays()).as("seed %d: %s forwards on %s", seed, mid, there).contains(mid);
                    }
                }
            }
        }
    }

    /** The nodes visited from s to d, or null when s has no route; fails on a loop. */
    private static List<String> path(RoutingPlan plan, String s, String d, int max, long seed) {
        List<String> path = new ArrayList<>(List.of(s));
        Set<String> seen = new HashSet<>(path);
        String cur = s;
        while (!cur.equals(d)) {
            String next = plan.firstHop(cur, d);
            if (next == null) {
                assertThat(cur).as("seed %d: route %s->%s dies at %s", seed, s, d, cur).isEqualTo(s);
                return null;
            }
            assertThat(seen.add(next)).as("seed %d: loop on %s->%s at %s (%s)", seed, s, d, next, path).isTrue();
            path.add(next);
            assertThat(path.size()).isLessThanOrEqualTo(max);
            cur = next;
        }
        return path;
    }

    /**
     * Every pair that can be connected is: one end reachable, or both behind NAT with home relays in
     * one backbone component (union-find over the links between active relays).
     */
    @Test
    void everyPairIsConnectedWheneverAPathExists() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomTopologies.Case c = RandomTopologies.generate(seed);
            RoutingPlan plan = c.plan();
            Topology t = c.topology();
            Map<String, String> parent = new HashMap<>();
            plan.activeRelays().forEach(id -> parent.put(id, id));
            for (BackboneLink l : t.links().values()) {
                if (parent.containsKey(l.a()) && parent.containsKey(l.b())) {
                    parent.put(find(parent, l.a()), find(parent, l.b()));
                }
            }
            for (Node a : t.nodes().values()) {
                for (Node b : t.nodes().values()) {
                    if (a == b) {
                        continue;
                    }
                    boolean expected;
                    if (a.reachable() || b.reachable()) {
                        String ra = a.isRelay() && parent.containsKey(a.id()) ? a.id() : plan.homeRelay(a.id());
                        String rb = b.isRelay() && parent.containsKey(b.id()) ? b.id() : plan.homeRelay(b.id());
                        boolean relayAndNat = (parent.containsKey(a.id()) && !b.reachable())
                                || (parent.containsKey(b.id()) && !a.reachable());
                        expected = !relayAndNat || find(parent, ra).equals(find(parent, rb));
                    } else {
                        String ha = plan.homeRelay(a.id());
                        String hb = plan.homeRelay(b.id());
                        expected = ha != null && hb != null && find(parent, ha).equals(find(parent, hb));
                    }
                    assertThat(path(plan, a.id(), b.id(), t.nodes().size(), seed) != null)
                            .as("seed %d: %s->%s connected", seed, a.id(), b.id()).isEqualTo(expected);
                }
            }
        }
    }

    private static String find(Map<String, String> parent, String x) {
        while (!parent.get(x).equals(x)) {
            x = parent.get(x);
        }
        return x;
    }

    /** Within each map no two peers claim overlapping prefixes, and the map routes every destination to its first hop. */
    @Test
    void allowedIpsAreDisjointAndMatchFirstHops() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomTopologies.Case c = RandomTopologies.generate(seed);
            RoutingPlan plan = c.plan();
            Topology t = c.topology();
            for (NetworkMap map : plan.allMaps(1).values()) {
                List<IpPrefix> all = new ArrayList<>();
                map.peers().forEach(p -> all.addAll(p.allowedIps()));
                for (int i = 0; i < all.size(); i++) {
                    for (int j = i + 1; j < all.size(); j++) {
                        assertThat(all.get(i).overlaps(all.get(j)))
                                .as("seed %d map %s: %s and %s", seed, map.nodeId(), all.get(i), all.get(j)).isFalse();
                    }
                }
                PrefixTrie<String> routes = new PrefixTrie<>();
                for (Peer p : map.peers()) {
                    p.allowedIps().forEach(ip -> routes.put(ip, p.nodeId()));
                    assertThat(p.persistentKeepaliveSeconds()).as("seed %d keepalive", seed).isEqualTo(
                            !t.node(map.nodeId()).reachable() || !t.node(p.nodeId()).reachable() ? 25 : 0);
                }
                for (Node d : t.nodes().values()) {
                    if (d.id().equals(map.nodeId())) {
                        continue;
                    }
                    for (IpPrefix a : d.addresses()) {
                        assertThat(routes.lookup(a.address())).as("seed %d map %s dest %s", seed, map.nodeId(), d.id())
                                .isEqualTo(plan.firstHop(map.nodeId(), d.id()));
                    }
                }
                long fSeed = seed;
                c.activeGateways().forEach((ramp, gw) -> {
                    IpPrefix cidr = t.onRamps().get(ramp).cidrs().get(0);
                    if (gw.equals(map.nodeId())) {
                        assertThat(map.self().routes()).as("seed %d", fSeed).contains(cidr);
                    } else {
                        assertThat(routes.lookup(cidr.address())).as("seed %d map %s ramp %s", fSeed, map.nodeId(), ramp)
                                .isEqualTo(plan.firstHop(map.nodeId(), gw));
                    }
                });
            }
        }
    }

    /** apply(diff(old, new), old) == new, byte for byte, across random state changes. */
    @Test
    void deltasReproduceTheNewMap() throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomTopologies.Case c = RandomTopologies.generate(seed);
            Random r = new Random(seed ^ 0x5DEECE66DL);
            Topology topology = c.topology();
            Set<String> online = new HashSet<>(c.online());
            Map<String, String> active = new HashMap<>(c.activeGateways());
            SortedMap<String, NetworkMap> before = new RoutingPlan(topology, online, active).allMaps(1);
            for (long version = 2; version < 8; version++) {
                List<String> ids = new ArrayList<>(topology.nodes().keySet());
                String pick = ids.get(r.nextInt(ids.size()));
                switch (r.nextInt(4)) {
                    case 0 -> {
                        if (!online.remove(pick)) {
                            online.add(pick);
                        }
                    }
                    case 1 -> topology = topology.withNode(topology.node(pick).withEndpoints(List.of(
                            new net.weft.topology.model.Endpoint("203.0.113." + (1 + r.nextInt(254)), 51820))));
                    case 2 -> active.clear();
                    default -> {
                        RandomTopologies.Case other = RandomTopologies.generate(seed * 1000 + version);
                        if (other.nodes().size() > 0) {
                            Node fresh = other.nodes().get(0);
                            Node joined = new Node("z-" + version, fresh.name(), fresh.publicKey(),
                                    List.of(IpPrefix.parse("100.100.0." + version), IpPrefix.parse("fd7a:115c:a1e0:1::" + version)),
                                    List.of(), fresh.roles(), fresh.endpoints(), fresh.reachable(), fresh.region());
                            topology = topology.withNode(joined);
                            online.add(joined.id());
                        }
                    }
                }
                SortedMap<String, NetworkMap> after = new RoutingPlan(topology, online, active).allMaps(version);
                for (Map.Entry<String, NetworkMap> e : after.entrySet()) {
                    NetworkMap old = before.get(e.getKey());
                    if (old == null) {
                        continue;
                    }
                    MapDelta delta = MapDelta.diff(old, e.getValue());
                    MapDelta wire = CanonicalJson.fromBytes(CanonicalJson.toBytes(delta), MapDelta.class);
                    NetworkMap applied = wire.apply(old);
                    assertThat(applied).as("seed %d v%d node %s", seed, version, e.getKey()).isEqualTo(e.getValue());
                    assertThat(CanonicalJson.toBytes(applied)).as("seed %d", seed).isEqualTo(CanonicalJson.toBytes(e.getValue()));
                }
                before = after;
            }
        }
    }
}
