package net.weft.topology.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.weft.topology.map.GatewayDuty;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.map.Self;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Node;
import net.weft.topology.model.Topology;

/**
 * The routing rules written the slow, obvious way (pair by pair, the way the plan first computed
 * them), as the oracle the fast plan is checked against. Uses only the plan's relay facts: active
 * relays, home relays and next relays.
 */
final class ReferenceRouting {

    private ReferenceRouting() {
    }

    static String firstHop(RoutingPlan plan, String from, String to) {
        if (from.equals(to)) {
            return null;
        }
        Topology t = plan.topology();
        Node a = t.node(from);
        Node b = t.node(to);
        boolean aRelay = plan.activeRelays().contains(from);
        boolean bRelay = plan.activeRelays().contains(to);
        if (aRelay && bRelay) {
            String next = plan.nextRelay(from, to);
            return next != null ? next : to;
        }
        if (aRelay && !b.reachable()) {
            String h = plan.homeRelay(to);
            return h.equals(from) ? to : plan.nextRelay(from, h);
        }
        if (bRelay && !a.reachable()) {
            String h = plan.homeRelay(from);
            return h.equals(to) ? to : (plan.nextRelay(h, to) == null ? null : h);
        }
        if (a.reachable() || b.reachable()) {
            return to;
        }
        String ha = plan.homeRelay(from);
        String hb = plan.homeRelay(to);
        if (ha == null || hb == null || plan.nextRelay(ha, hb) == null) {
            return null;
        }
        return ha;
    }

    /** Every other node's addresses and every on-ramp's CIDRs, grouped by first hop. */
    static NetworkMap map(RoutingPlan plan, String nodeId, long version) {
        Topology t = plan.topology();
        Node self = t.node(nodeId);
        TreeMap<String, List<IpPrefix>> allowed = new TreeMap<>();
        for (Node other : t.nodes().values()) {
            String hop = firstHop(plan, nodeId, other.id());
            if (hop != null) {
                allowed.computeIfAbsent(hop, k -> new ArrayList<>()).addAll(other.addresses());
            }
        }
        List<IpPrefix> served = new ArrayList<>();
        for (Map.Entry<String, String> e : plan.activeGateways().entrySet()) {
            List<IpPrefix> cidrs = t.onRamps().get(e.getKey()).cidrs();
            if (e.getValue().equals(nodeId)) {
                served.addAll(cidrs);
                continue;
            }
            String hop = firstHop(plan, nodeId, e.getValue());
            if (hop != null) {
                allowed.computeIfAbsent(hop, k -> new ArrayList<>()).addAll(cidrs);
            }
        }
        int keepalive = (int) t.network().persistentKeepalive().toSeconds();
        List<Peer> peers = new ArrayList<>();
        allowed.forEach((id, ips) -> {
            Node p = t.node(id);
            peers.add(new Peer(id, p.publicKey(), p.endpoints(), ips, !self.reachable() || !p.reachable() ? keepalive : 0));
        });
        List<GatewayDuty> duties = new ArrayList<>();
        t.onRamps().values().forEach(r -> r.gateways().stream().filter(g -> g.node().equals(nodeId)).forEach(g ->
                duties.add(new GatewayDuty(r.name(), r.cidrs(), r.snat(), r.healthCheck().targets(),
                        r.healthCheck().interval().toMillis(), r.healthCheck().failureThreshold(),
                        nodeId.equals(plan.activeGateways().get(r.name()))))));
        return new NetworkMap(version, new Self(self.id(), self.name(), self.addresses(), t.network().mtu(), served,
                plan.activeRelays().contains(nodeId), duties), peers);
    }
}
