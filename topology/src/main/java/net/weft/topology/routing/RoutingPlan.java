package net.weft.topology.routing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.map.Self;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Topology;
import net.weft.topology.trie.PrefixTrie;

/**
 * The routing decisions for one topology and live state, computed once and shared by every node's
 * map: active relays, home relays, least-cost backbone paths, active gateways. Immutable; see the
 * package documentation for the rules.
 */
public final class RoutingPlan {

    private final Topology topology;
    private final Set<String> online;
    private final SortedMap<String, String> activeGateways;
    /** Active relays, sorted by id. */
    private final List<String> relays;
    /** Home relay per NAT node id (absent when there is no active relay). */
    private final Map<String, String> home = new HashMap<>();
    /** Per active relay, the next relay towards each relay of its backbone component (self maps to self). */
    private final Map<String, Map<String, String>> relayNext = new HashMap<>();
    /** Per on-ramp with an active gateway, its CIDRs; by gateway node id. */
    private final Map<String, List<IpPrefix>> routesByGateway = new HashMap<>();

    /**
     * @param topology       the desired state
     * @param onlineNodes    ids of nodes that are online (only online relays forward)
     * @param activeGateways the active gateway per on-ramp name, from {@link OnRampArbiter}
     * @throws IllegalArgumentException when node addresses and on-ramp CIDRs overlap, or an active gateway
     *                                  is not one of its on-ramp's gateways
     */
    public RoutingPlan(Topology topology, Set<String> onlineNodes, Map<String, String> activeGateways) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.online = Set.copyOf(onlineNodes);
        this.activeGateways = Collections.unmodifiableSortedMap(new TreeMap<>(activeGateways));
        for (Map.Entry<String, String> e : this.activeGateways.entrySet()) {
            OnRamp ramp = topology.onRamps().get(e.getKey());
            if (ramp == null || ramp.gateways().stream().noneMatch(g -> g.node().equals(e.getValue()))) {
                throw new IllegalArgumentException(e.getValue() + " is not a gateway of on-ramp " + e.getKey());
            }
            routesByGateway.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).addAll(ramp.cidrs());
        }
        checkDisjoint();

        List<String> r = new ArrayList<>();
        for (Node n : topology.nodes().values()) {
            if (n.isRelay() && online.contains(n.id())) {
                r.add(n.id());
            }
        }
        this.relays = List.copyOf(r);
        for (Node n : topology.nodes().values()) {
            if (!n.reachable() && !relays.isEmpty()) {
                String pick = relays.stream().filter(id -> topology.node(id).region().equals(n.region()))
                        .findFirst().orElse(relays.get(0));
                home.put(n.id(), pick);
            }
        }
        computeBackbonePaths();
    }

    private void checkDisjoint() {
        List<IpPrefix> all = new ArrayList<>();
        Map<IpPrefix, String> owner = new HashMap<>();
        for (Node n : topology.nodes().values()) {
            for (IpPrefix a : n.addresses()) {
                all.add(a);
                claim(owner, a, "node " + n.id());
            }
        }
        routesByGateway.forEach((gw, cidrs) -> cidrs.forEach(c -> {
            all.add(c);
            claim(owner, c, "an on-ramp served by " + gw);
        }));
        Collections.sort(all);
        PrefixTrie<IpPrefix> seen = new PrefixTrie<>();
        for (IpPrefix p : all) {
            IpPrefix outer = seen.lookup(p.address());
            if (outer != null) {
                throw new IllegalArgumentException(p + " (" + owner.get(p) + ") overlaps " + outer + " (" + owner.get(outer) + ")");
            }
            seen.put(p, p);
        }
    }

    private static void claim(Map<IpPrefix, String> owner, IpPrefix p, String who) {
        String before = owner.putIfAbsent(p, who);
        if (before != null) {
            throw new IllegalArgumentException(p + " is claimed by " + before + " and " + who);
        }
    }

    /** Dijkstra from every active relay with unique path weights: cost, then a distinct bit per link. */
    private void computeBackbonePaths() {
        Set<String> active = Set.copyOf(relays);
        List<BackboneLink> links = topology.links().values().stream()
                .filter(l -> active.contains(l.a()) && active.contains(l.b()))
                .sorted(java.util.Comparator.comparing(BackboneLink::a).thenComparing(BackboneLink::b)
                        .thenComparing(BackboneLink::name))
                .toList();
        int bits = links.size();
        Map<String, List<Object[]>> adjacency = new HashMap<>();
        for (int i = 0; i < links.size(); i++) {
            BackboneLink l = links.get(i);
            // the tie-break bit: links between lower ids are cheaper
            BigInteger w = BigInteger.valueOf(l.cost()).shiftLeft(bits).add(BigInteger.ONE.shiftLeft(i));
            adjacency.computeIfAbsent(l.a(), k -> new ArrayList<>()).add(new Object[]{l.b(), w});
            adjacency.computeIfAbsent(l.b(), k -> new ArrayList<>()).add(new Object[]{l.a(), w});
        }
        for (String src : relays) {
            Map<String, BigInteger> dist = new HashMap<>();
            Map<String, String> first = new HashMap<>();
            record Entry(BigInteger d, String node) {
            }
            PriorityQueue<Entry> q = new PriorityQueue<>((x, y) -> {
                int c = x.d().compareTo(y.d());
                return c != 0 ? c : x.node().compareTo(y.node());
            });
            dist.put(src, BigInteger.ZERO);
            first.put(src, src);
            q.add(new Entry(BigInteger.ZERO, src));
            while (!q.isEmpty()) {
                Entry e = q.poll();
                if (!e.d().equals(dist.get(e.node()))) {
                    continue;
                }
                for (Object[] edge : adjacency.getOrDefault(e.node(), List.of())) {
                    String to = (String) edge[0];
                    BigInteger nd = e.d().add((BigInteger) edge[1]);
                    BigInteger old = dist.get(to);
                    if (old == null || nd.compareTo(old) < 0) {
                        dist.put(to, nd);
                        first.put(to, e.node().equals(src) ? to : first.get(e.node()));
                        q.add(new Entry(nd, to));
                    }
                }
            }
            relayNext.put(src, first);
        }
    }

    /** Active relays, sorted by id. */
    public List<String> activeRelays() {
        return relays;
    }

    /** The home relay of NAT node {@code nodeId}, or null. */
    public String homeRelay(String nodeId) {
        return home.get(nodeId);
    }

    /** The active gateway per on-ramp. */
    public SortedMap<String, String> activeGateways() {
        return activeGateways;
    }

    private boolean isActiveRelay(String id) {
        return relayNext.containsKey(id);
    }

    /** The next relay from active relay {@code from} towards active relay {@code to}, or null when not connected. */
    String nextRelay(String from, String to) {
        return relayNext.get(from).get(to);
    }

    /**
     * The peer {@code from} hands traffic for {@code to} to: {@code to} itself when they peer directly,
     * a relay otherwise, or null when no path exists.
     */
    public String firstHop(String from, String to) {
        if (from.equals(to)) {
            return null;
        }
        Node a = topology.node(from);
        Node b = topology.node(to);
        boolean aRelay = isActiveRelay(from);
        boolean bRelay = isActiveRelay(to);
        if (aRelay && bRelay) {
            String next = nextRelay(from, to);
            return next != null ? next : to; // different backbone components: plain direct peering
        }
        if (aRelay && !b.reachable()) {
            String h = home.get(to);
            return h.equals(from) ? to : nextRelay(from, h);
        }
        if (bRelay && !a.reachable()) {
            String h = home.get(from);
            return h.equals(to) ? to : (nextRelay(h, to) == null ? null : h);
        }
        if (a.reachable() || b.reachable()) {
            return to;
        }
        String ha = home.get(from);
        String hb = home.get(to);
        if (ha == null || hb == null || nextRelay(ha, hb) == null) {
            return null;
        }
        return ha;
    }

    /** The map of node {@code nodeId} at {@code version}. */
    public NetworkMap mapFor(String nodeId, long version) {
        Node self = topology.node(nodeId);
        if (self == null) {
            throw new IllegalArgumentException("unknown node " + nodeId);
        }
        TreeMap<String, List<IpPrefix>> allowed = new TreeMap<>();
        for (Node other : topology.nodes().values()) {
            if (other.id().equals(nodeId)) {
                continue;
            }
            String hop = firstHop(nodeId, other.id());
            if (hop != null) {
                allowed.computeIfAbsent(hop, k -> new ArrayList<>()).addAll(other.addresses());
            }
        }
        List<IpPrefix> served = new ArrayList<>();
        for (Map.Entry<String, String> e : activeGateways.entrySet()) {
            List<IpPrefix> cidrs = topology.onRamps().get(e.getKey()).cidrs();
            if (e.getValue().equals(nodeId)) {
                served.addAll(cidrs);
                continue;
            }
            String hop = firstHop(nodeId, e.getValue());
            if (hop != null) {
                allowed.computeIfAbsent(hop, k -> new ArrayList<>()).addAll(cidrs);
            }
        }
        int keepalive = (int) topology.network().persistentKeepalive().toSeconds();
        List<Peer> peers = new ArrayList<>(allowed.size());
        for (Map.Entry<String, List<IpPrefix>> e : allowed.entrySet()) {
            Node p = topology.node(e.getKey());
            peers.add(new Peer(p.id(), p.publicKey(), p.endpoints(), e.getValue(),
                    !self.reachable() || !p.reachable() ? keepalive : 0));
        }
        return new NetworkMap(version, new Self(self.id(), self.name(), self.addresses(), topology.network().mtu(), served),
                peers);
    }

    /** Every node's map at {@code version}, by node id. */
    public SortedMap<String, NetworkMap> allMaps(long version) {
        TreeMap<String, NetworkMap> maps = new TreeMap<>();
        for (String id : topology.nodes().keySet()) {
            maps.put(id, mapFor(id, version));
        }
        return maps;
    }
}
