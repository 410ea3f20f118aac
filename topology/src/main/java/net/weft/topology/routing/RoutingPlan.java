package net.weft.topology.routing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.weft.topology.map.GatewayDuty;
import net.weft.topology.map.MapDelta;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.map.Self;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.HealthCheck;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.SortedList;
import net.weft.topology.model.Topology;

/**
 * The routing decisions for one topology and live state, computed once and shared by every node's
 * map: active relays, home relays, least-cost backbone paths, active gateways. Immutable; see the
 * package documentation for the rules.
 *
 * <p>The plan keeps what the maps are made of, per node and sorted by node id: the two peer entries
 * others can hold for a node (seen from a reachable node, seen from a node behind NAT), and, per home
 * relay and per backbone component, the sorted prefixes reached through it. A map is then assembled
 * from those shared parts (most maps are the plan's peer list less the node itself, sharing its array),
 * and {@link #join} derives the next plan and every delta of a join, in time linear in the number of
 * nodes, without computing any map but the newcomer's.
 */
public final class RoutingPlan {

    private final Topology topology;
    private final SortedMap<String, String> activeGateways;
    /** Active relays, sorted by id; a relay's index in this list is its relay index. */
    private final List<String> relays;
    /** Members of the active relays, by relay index. */
    private final Member[] relayMembers;
    /** next[a][b]: the relay after a on the least-cost backbone path from a to b (a when a == b), -1 when not connected. */
    private final int[][] next;
    /** Per relay, the lowest relay index of its backbone component. */
    private final int[] component;
    /** Per relay, its region. */
    private final String[] relayRegions;
    private final int keepalive;
    private final int mtu;

    /** Node ids, sorted; index i here is index i in every per-node array. */
    private final String[] ids;
    private final Member[] members;
    /** Every claimed prefix (node addresses, active on-ramp CIDRs); pairwise disjoint. */
    private final SortedList<IpPrefix> claimed;
    /**
     * Per node, by index: the entry a reachable node that is not an active relay holds for it. Such a node's
     * peers are this list less itself, a {@link SortedList} sharing this one's array; so the plan keeps this
     * list (and {@link #seenFromNat}) flat.
     */
    private final SortedList<Peer> seenFromReachable;
    /** The peers a NAT node holds besides its home relay: every reachable node that is not an active relay. */
    private final SortedList<Peer> seenFromNat;
    /** Per relay: the prefixes (addresses and served CIDRs) of the NAT nodes it is home to. */
    private final List<SortedList<IpPrefix>> natPrefixes;
    /** Per component (by its lowest relay index, null elsewhere): the prefixes of its relays and of the NAT nodes homed there. */
    private final List<SortedList<IpPrefix>> componentPrefixes;

    /** One node as the plan sees it. Immutable, and shared between plans when a change leaves it alone. */
    private static final class Member {
        final Node node;
        final boolean reachable;
        /** Relay index when the node is an active relay, else -1. */
        final int relay;
        /** Relay index of the home relay of a NAT node, else -1. */
        final int home;
        /** On-ramp CIDRs this node serves as active gateway. */
        final SortedList<IpPrefix> served;
        /** Addresses and served CIDRs: what a direct peer entry for this node allows. */
        final SortedList<IpPrefix> prefixes;
        /** The direct entry for this node in a reachable node's map. */
        final Peer fromReachable;
        /** The direct entry for this node in a NAT node's map (or in an active relay's when this one is its NAT child). */
        final Peer fromNat;

        Member(Node node, int relay, int home, List<IpPrefix> served, int keepalive) {
            this.node = node;
            this.reachable = node.reachable();
            this.relay = relay;
            this.home = home;
            this.served = SortedList.copyOf(served);
            this.prefixes = SortedList.copyOf(node.addresses()).withAll(this.served);
            this.fromNat = new Peer(node.id(), node.publicKey(), node.endpoints(), prefixes, keepalive);
            this.fromReachable = reachable && keepalive != 0
                    ? new Peer(node.id(), node.publicKey(), node.endpoints(), prefixes, 0) : fromNat;
        }

        String id() {
            return node.id();
        }

        /** The direct entry for this node in {@code observer}'s map: a keepalive when either end is behind NAT. */
        Peer seenBy(Member observer) {
            return observer.reachable ? fromReachable : fromNat;
        }
    }

    /**
     * @param topology       the desired state
     * @param onlineNodes    ids of nodes that are online (only online relays forward)
     * @param activeGateways the active gateway per on-ramp name, from {@link OnRampArbiter}
     * @throws IllegalArgumentException when node addresses and on-ramp CIDRs overlap, or an active gateway
     *                                  is not one of its on-ramp's gateways
     */
    public RoutingPlan(Topology topology, Set<String> onlineNodes, Map<String, String> activeGateways) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.activeGateways = Collections.unmodifiableSortedMap(new TreeMap<>(activeGateways));
        Map<String, List<IpPrefix>> routesByGateway = new HashMap<>();
        for (Map.Entry<String, String> e : this.activeGateways.entrySet()) {
            OnRamp ramp = topology.onRamps().get(e.getKey());
            if (ramp == null || ramp.gateways().stream().noneMatch(g -> g.node().equals(e.getValue()))) {
                throw new IllegalArgumentException(e.getValue() + " is not a gateway of on-ramp " + e.getKey());
            }
            routesByGateway.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).addAll(ramp.cidrs());
        }
        this.claimed = checkDisjoint(topology, routesByGateway);
        this.keepalive = (int) topology.network().persistentKeepalive().toSeconds();
        this.mtu = topology.network().mtu();

        List<String> r = new ArrayList<>();
        for (Node n : topology.nodes().values()) {
            if (n.isRelay() && onlineNodes.contains(n.id())) {
                r.add(n.id());
            }
        }
        this.relays = List.copyOf(r);
        Map<String, Integer> relayIndex = new HashMap<>();
        for (int i = 0; i < relays.size(); i++) {
            relayIndex.put(relays.get(i), i);
        }
        this.next = computeBackbonePaths(topology, relays, relayIndex);
        this.relayRegions = relays.stream().map(id -> topology.node(id).region()).toArray(String[]::new);
        this.component = new int[relays.size()];
        for (int a = 0; a < relays.size(); a++) {
            int c = 0;
            while (next[a][c] < 0) {
                c++;
            }
            component[a] = c;
        }

        int n = topology.nodes().size();
        this.ids = new String[n];
        this.members = new Member[n];
        this.relayMembers = new Member[relays.size()];
        int i = 0;
        for (Node node : topology.nodes().values()) {
            int relay = relayIndex.getOrDefault(node.id(), -1);
            int home = node.reachable() ? -1 : homeFor(node.region());
            Member m = new Member(node, relay, home, routesByGateway.getOrDefault(node.id(), List.of()), keepalive);
            ids[i] = node.id();
            members[i++] = m;
            if (relay >= 0) {
                relayMembers[relay] = m;
            }
        }

        List<List<IpPrefix>> natLists = new ArrayList<>();
        relays.forEach(x -> natLists.add(new ArrayList<>()));
        List<Peer> fromReachable = new ArrayList<>(n);
        List<Peer> fromNat = new ArrayList<>(n);
        for (Member m : members) {
            fromReachable.add(m.fromReachable);
            if (m.reachable && m.relay < 0) {
                fromNat.add(m.fromNat);
            } else if (m.home >= 0) {
                natLists.get(m.home).addAll(m.prefixes);
            }
        }
        this.seenFromReachable = SortedList.copyOf(fromReachable, Peer.BY_NODE_ID);
        this.seenFromNat = SortedList.copyOf(fromNat, Peer.BY_NODE_ID);
        this.natPrefixes = natLists.stream().map(SortedList::copyOf).toList();
        List<SortedList<IpPrefix>> comps = new ArrayList<>();
        for (int c = 0; c < relays.size(); c++) {
            List<IpPrefix> all = new ArrayList<>();
            for (int k = 0; k < relays.size(); k++) {
                if (component[k] == c) {
                    all.addAll(relayMembers[k].prefixes);
                    all.addAll(natPrefixes.get(k));
                }
            }
            comps.add(component[c] == c ? SortedList.copyOf(all) : null);
        }
        this.componentPrefixes = Collections.unmodifiableList(comps);
    }

    /** The plan after a join: {@code base}'s relays, paths and gateways, with new per-node parts. */
    private RoutingPlan(RoutingPlan base, Topology topology, String[] ids, Member[] members, SortedList<IpPrefix> claimed,
                        SortedList<Peer> seenFromReachable, SortedList<Peer> seenFromNat,
                        List<SortedList<IpPrefix>> natPrefixes, List<SortedList<IpPrefix>> componentPrefixes) {
        this.topology = topology;
        this.activeGateways = base.activeGateways;
        this.relays = base.relays;
        this.relayMembers = base.relayMembers;
        this.next = base.next;
        this.component = base.component;
        this.relayRegions = base.relayRegions;
        this.keepalive = base.keepalive;
        this.mtu = base.mtu;
        this.ids = ids;
        this.members = members;
        this.claimed = claimed;
        this.seenFromReachable = seenFromReachable;
        this.seenFromNat = seenFromNat;
        this.natPrefixes = natPrefixes;
        this.componentPrefixes = componentPrefixes;
    }

    /** The home relay of a NAT node in {@code region}: the first active relay there, else the first one; -1 without relays. */
    private int homeFor(String region) {
        if (relays.isEmpty()) {
            return -1;
        }
        int k = Arrays.asList(relayRegions).indexOf(region);
        return k < 0 ? 0 : k;
    }

    /** A prefix and who claims it: a node's address, or a CIDR of an on-ramp the node serves. */
    private record Claim(IpPrefix prefix, String nodeId, boolean onRamp) {
        @Override
        public String toString() {
            return onRamp ? "an on-ramp served by " + nodeId : "node " + nodeId;
        }
    }

    /**
     * Checks that node addresses and served on-ramp CIDRs are pairwise disjoint and returns them sorted.
     * A prefix claimed twice is reported first (the earlier claim, nodes by id before on-ramps, named
     * first). Then, in sorted order a prefix that overlaps an earlier one lies inside it, and when the
     * earlier ones are disjoint that earlier one is its predecessor: comparing neighbours finds every overlap.
     */
    private static SortedList<IpPrefix> checkDisjoint(Topology topology, Map<String, List<IpPrefix>> routesByGateway) {
        List<Claim> claims = new ArrayList<>(topology.nodes().size() * 2);
        for (Node n : topology.nodes().values()) {
            for (IpPrefix a : n.addresses()) {
                claims.add(new Claim(a, n.id(), false));
            }
        }
        new TreeMap<>(routesByGateway).forEach((gw, cidrs) -> cidrs.forEach(c -> claims.add(new Claim(c, gw, true))));
        Claim[] sorted = claims.toArray(Claim[]::new);
        Arrays.sort(sorted, Comparator.comparing(Claim::prefix)); // stable: equal prefixes keep claim order
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i - 1].prefix().equals(sorted[i].prefix())) {
                throw new IllegalArgumentException(sorted[i].prefix() + " is claimed by " + sorted[i - 1] + " and " + sorted[i]);
            }
        }
        List<IpPrefix> prefixes = new ArrayList<>(sorted.length);
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0 && sorted[i - 1].prefix().contains(sorted[i].prefix())) {
                throw new IllegalArgumentException(sorted[i].prefix() + " (" + sorted[i] + ") overlaps "
                        + sorted[i - 1].prefix() + " (" + sorted[i - 1] + ")");
            }
            prefixes.add(sorted[i].prefix());
        }
        return SortedList.copyOf(prefixes);
    }

    /** Dijkstra from every active relay with unique path weights: cost, then a distinct bit per link. */
    private static int[][] computeBackbonePaths(Topology topology, List<String> relays, Map<String, Integer> relayIndex) {
        List<BackboneLink> links = topology.links().values().stream()
                .filter(l -> relayIndex.containsKey(l.a()) && relayIndex.containsKey(l.b()))
                .sorted(Comparator.comparing(BackboneLink::a).thenComparing(BackboneLink::b)
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
        int[][] next = new int[relays.size()][relays.size()];
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
            int[] row = next[relayIndex.get(src)];
            for (int b = 0; b < relays.size(); b++) {
                String f = first.get(relays.get(b));
                row[b] = f == null ? -1 : relayIndex.get(f);
            }
        }
        return next;
    }

    /** The desired state this plan was computed from. */
    public Topology topology() {
        return topology;
    }

    /** Active relays, sorted by id. */
    public List<String> activeRelays() {
        return relays;
    }

    /** The home relay of NAT node {@code nodeId}, or null. */
    public String homeRelay(String nodeId) {
        Member m = member(nodeId);
        return m == null || m.home < 0 ? null : relays.get(m.home);
    }

    /** The active gateway per on-ramp. */
    public SortedMap<String, String> activeGateways() {
        return activeGateways;
    }

    /** The next relay from active relay {@code from} towards active relay {@code to}, or null when not connected. */
    String nextRelay(String from, String to) {
        int a = relays.indexOf(from);
        int b = relays.indexOf(to);
        if (a < 0) {
            throw new IllegalArgumentException(from + " is not an active relay");
        }
        return b < 0 || next[a][b] < 0 ? null : relays.get(next[a][b]);
    }

    private int indexOf(String nodeId) {
        return Arrays.binarySearch(ids, nodeId);
    }

    private Member member(String nodeId) {
        int i = indexOf(nodeId);
        return i < 0 ? null : members[i];
    }

    /**
     * The peer {@code from} hands traffic for {@code to} to: {@code to} itself when they peer directly,
     * a relay otherwise, or null when no path exists.
     */
    public String firstHop(String from, String to) {
        Member a = member(from);
        Member b = member(to);
        if (a == null || b == null) {
            throw new IllegalArgumentException("unknown node " + (a == null ? from : to));
        }
        Member hop = hop(a, b);
        return hop == null ? null : hop.id();
    }

    /** {@link #firstHop} on members. */
    private Member hop(Member a, Member b) {
        if (a == b) {
            return null;
        }
        boolean aRelay = a.relay >= 0;
        boolean bRelay = b.relay >= 0;
        if (aRelay && bRelay) {
            int n = next[a.relay][b.relay];
            return n >= 0 ? relayMembers[n] : b; // different backbone components: plain direct peering
        }
        if (aRelay && !b.reachable) {
            if (b.home == a.relay) {
                return b;
            }
            int n = next[a.relay][b.home];
            return n >= 0 ? relayMembers[n] : null;
        }
        if (bRelay && !a.reachable) {
            if (a.home == b.relay) {
                return b;
            }
            return next[a.home][b.relay] >= 0 ? relayMembers[a.home] : null;
        }
        if (a.reachable || b.reachable) {
            return b;
        }
        if (a.home < 0 || b.home < 0 || next[a.home][b.home] < 0) {
            return null;
        }
        return relayMembers[a.home];
    }

    /** The map of node {@code nodeId} at {@code version}. */
    public NetworkMap mapFor(String nodeId, long version) {
        int i = indexOf(nodeId);
        if (i < 0) {
            throw new IllegalArgumentException("unknown node " + nodeId);
        }
        return mapFor(i, version);
    }

    private NetworkMap mapFor(int i, long version) {
        Member s = members[i];
        Self self = new Self(s.id(), s.node.name(), s.node.addresses(), mtu, s.served, s.relay >= 0, dutiesOf(s.id()));
        return new NetworkMap(version, self, peersOf(i));
    }

    /** The on-ramps node {@code id} is a gateway of (few: the spec names them), active or standby. */
    private List<GatewayDuty> dutiesOf(String id) {
        List<GatewayDuty> duties = null;
        for (OnRamp ramp : topology.onRamps().values()) {
            for (Gateway g : ramp.gateways()) {
                if (g.node().equals(id)) {
                    HealthCheck h = ramp.healthCheck();
                    if (duties == null) {
                        duties = new ArrayList<>(2);
                    }
                    duties.add(new GatewayDuty(ramp.name(), ramp.cidrs(), ramp.snat(), h.targets(),
                            h.interval().toMillis(), h.failureThreshold(), id.equals(activeGateways.get(ramp.name()))));
                }
            }
        }
        return duties == null ? List.of() : duties;
    }

    /**
     * The peers of node {@code i}, sorted by id. Each other node's traffic goes to its first hop
     * ({@link #hop}); grouped by hop, that gives:
     * <ul>
     *   <li>a reachable node that is not an active relay: every other node, directly;</li>
     *   <li>a NAT node: every reachable node that is not an active relay, directly, and its home relay,
     *       which carries its whole backbone component;</li>
     *   <li>an active relay: reachable nodes, its NAT children, relays of other components, and each
     *       backbone neighbour, which carries everything behind it.</li>
     * </ul>
     */
    private SortedList<Peer> peersOf(int i) {
        Member s = members[i];
        if (!s.reachable) {
            return s.home < 0 ? seenFromNat : seenFromNat.with(homeEntry(s));
        }
        if (s.relay < 0) {
            return seenFromReachable.without(i);
        }
        List<Peer> out = new ArrayList<>(members.length);
        for (int j = 0; j < members.length; j++) {
            Member d = members[j];
            if (j == i) {
                continue;
            }
            if (d.relay >= 0) {
                int n = next[s.relay][d.relay];
                if (n < 0) {
                    out.add(d.fromReachable);
                } else if (n == d.relay) {
                    out.add(relayEntry(s, n));
                }
            } else if (d.reachable || d.home == s.relay) {
                out.add(d.fromReachable);
            }
        }
        return SortedList.copyOf(out, Peer.BY_NODE_ID);
    }

    /** NAT node {@code s}'s entry for its home relay: everything of the relay's backbone component but {@code s} itself. */
    private Peer homeEntry(Member s) {
        Member relay = relayMembers[s.home];
        // s is homed in this component, so all its prefixes are there
        SortedList<IpPrefix> ips = componentPrefixes.get(component[s.home]).withoutAll(s.prefixes);
        return new Peer(relay.id(), relay.node.publicKey(), relay.node.endpoints(), ips, keepalive);
    }

    /** Active relay {@code s}'s entry for backbone neighbour {@code n}: the relays reached through it and their NAT children. */
    private Peer relayEntry(Member s, int n) {
        List<IpPrefix> ips = new ArrayList<>();
        for (int g = 0; g < relayMembers.length; g++) {
            if (g != s.relay && next[s.relay][g] == n) {
                ips.addAll(relayMembers[g].prefixes);
                ips.addAll(natPrefixes.get(g));
            }
        }
        Member relay = relayMembers[n];
        return new Peer(relay.id(), relay.node.publicKey(), relay.node.endpoints(), SortedList.copyOf(ips), 0);
    }

    /** Every node's map at {@code version}, by node id. */
    public SortedMap<String, NetworkMap> allMaps(long version) {
        TreeMap<String, NetworkMap> maps = new TreeMap<>();
        for (int i = 0; i < members.length; i++) {
            maps.put(ids[i], mapFor(i, version));
        }
        return maps;
    }

    /**
     * Node {@code node} joins (and is online): the plan after the join, the delta of every existing node
     * whose map changes, and the newcomer's full map. Equal to {@link #changes} between this plan and a
     * plan computed from scratch for the new state, but for a newcomer that is not an active relay it
     * computes only what the join touches: the newcomer takes no part in anyone else's paths, so each
     * existing node gains one peer (the newcomer) or one changed peer (the relay it reaches the newcomer
     * through), or nothing when it cannot reach the newcomer. A newcomer that is an active relay (it can
     * move home relays and paths), or that replaces a node with its id, takes the general path.
     *
     * @param fromVersion the version of the maps before the join
     * @param toVersion   the version of the maps after it
     * @throws IllegalArgumentException when the newcomer's addresses are already claimed
     */
    public PlanChange join(Node node, long fromVersion, long toVersion) {
        int at = indexOf(node.id());
        if (at >= 0 || node.isRelay()) {
            // the online set matters only for relays, and the active ones are known
            Set<String> online = new HashSet<>(relays);
            online.add(node.id());
            return changes(this, new RoutingPlan(topology.withNode(node), online, activeGateways), fromVersion, toVersion,
                    node.id());
        }
        int ins = -at - 1;
        for (IpPrefix a : node.addresses()) {
            int f = claimed.search(a);
            f = f >= 0 ? f : -f - 2; // the greatest claimed prefix not above a: the only one that can hold it
            if (f >= 0 && claimed.get(f).contains(a)) {
                IpPrefix held = claimed.get(f);
                throw new IllegalArgumentException(held.equals(a)
                        ? a + " is claimed by " + ownerOf(held) + " and node " + node.id()
                        : a + " (node " + node.id() + ") overlaps " + held + " (" + ownerOf(held) + ")");
            }
        }
        Member m = new Member(node, -1, node.reachable() ? -1 : homeFor(node.region()), List.of(), keepalive);
        SortedList<Peer> fromNat = seenFromNat;
        List<SortedList<IpPrefix>> nat = natPrefixes;
        List<SortedList<IpPrefix>> comp = componentPrefixes;
        if (m.reachable) {
            fromNat = seenFromNat.with(m.fromNat).flat();
        } else if (m.home >= 0) {
            nat = replace(natPrefixes, m.home, natPrefixes.get(m.home).withAll(m.prefixes));
            int c = component[m.home];
            comp = replace(componentPrefixes, c, componentPrefixes.get(c).withAll(m.prefixes));
        }
        RoutingPlan after = new RoutingPlan(this, topology.withNode(node), insert(ids, ins, m.id()),
                insert(members, ins, m), claimed.withAll(node.addresses()), seenFromReachable.with(m.fromReachable).flat(),
                fromNat, nat, comp);

        List<MapDelta> deltas = new ArrayList<>();
        for (int j = 0; j < after.members.length; j++) {
            if (j == ins) {
                continue;
            }
            Member s = after.members[j];
            Member hop = after.hop(s, m);
            if (hop == m) {
                deltas.add(new MapDelta(s.id(), fromVersion, toVersion, null, List.of(m.seenBy(s)), List.of(), List.of()));
            } else if (hop != null) {
                Peer changed = s.relay >= 0 ? after.relayEntry(s, hop.relay) : after.homeEntry(s);
                deltas.add(new MapDelta(s.id(), fromVersion, toVersion, null, List.of(), List.of(), List.of(changed)));
            }
        }
        return new PlanChange(after, deltas, List.of(after.mapFor(ins, toVersion)));
    }

    /**
     * What moving from plan {@code from} to plan {@code to} does to the maps, computed map by map: a delta
     * for every node of both plans whose map changed, a full map for every node new in {@code to}. Takes
     * time proportional to the number of nodes squared; {@link #join} is the fast path for joins.
     */
    public static PlanChange changes(RoutingPlan from, RoutingPlan to, long fromVersion, long toVersion) {
        return changes(from, to, fromVersion, toVersion, null);
    }

    /** {@link #changes}, with a full map for {@code fresh} (a node that joins again under its old id) too. */
    private static PlanChange changes(RoutingPlan from, RoutingPlan to, long fromVersion, long toVersion, String fresh) {
        List<MapDelta> deltas = new ArrayList<>();
        List<NetworkMap> full = new ArrayList<>();
        for (int j = 0; j < to.members.length; j++) {
            NetworkMap now = to.mapFor(j, toVersion);
            int i = to.ids[j].equals(fresh) ? -1 : from.indexOf(to.ids[j]);
            if (i < 0) {
                full.add(now);
                continue;
            }
            MapDelta d = MapDelta.diff(from.mapFor(i, fromVersion), now);
            if (!d.isEmpty()) {
                deltas.add(d);
            }
        }
        return new PlanChange(to, deltas, full);
    }

    /** Who claims {@code p} (for error messages). */
    private String ownerOf(IpPrefix p) {
        for (Member m : members) {
            if (m.node.addresses().contains(p)) {
                return "node " + m.id();
            }
            if (m.served.contains(p)) {
                return "an on-ramp served by " + m.id();
            }
        }
        return "?";
    }

    /** A copy of {@code list} with {@code x} at {@code index}. */
    private static <T> List<T> replace(List<T> list, int index, T x) {
        List<T> out = new ArrayList<>(list);
        out.set(index, x);
        return Collections.unmodifiableList(out);
    }

    /** A copy of {@code a} with {@code x} at index {@code at}. */
    private static <T> T[] insert(T[] a, int at, T x) {
        T[] out = Arrays.copyOf(a, a.length + 1);
        System.arraycopy(a, at, out, at + 1, a.length - at);
        out[at] = x;
        return out;
    }
}
