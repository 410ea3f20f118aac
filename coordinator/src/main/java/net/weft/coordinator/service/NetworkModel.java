package net.weft.coordinator.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.weft.coordinator.cluster.NodeRecord;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.ipam.Ipam;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Network;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Role;
import net.weft.topology.model.Topology;
import net.weft.topology.spec.NetworkSpec;
import net.weft.topology.spec.NodeDeclaration;

/**
 * Turns stored records and the spec into topology's model, the same way on every member: the same
 * records and spec give equal nodes, topologies and address allocations.
 *
 * @param spec the parsed spec, or null when none is set
 * @param ipv6 the network's IPv6 prefix when the spec does not declare one
 */
record NetworkModel(NetworkSpec spec, IpPrefix ipv6) {

    /** The network's name when no spec names it. */
    static final String DEFAULT_NETWORK = "weft";

    Network network() {
        return spec != null ? spec.network() : Network.withDefaults(DEFAULT_NETWORK, ipv6);
    }

    /** The declaration of node {@code id}, or null. */
    NodeDeclaration declaration(String id) {
        if (spec == null) {
            return null;
        }
        for (NodeDeclaration d : spec.nodes()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        return null;
    }

    /**
     * True when the spec names node {@code id} as an on-ramp gateway or a backbone link end: its join changes
     * those on-ramps and links, which {@link #topology} leaves out while the node has not joined, so the join
     * needs a full recompute rather than the plan's incremental one.
     */
    boolean namedBySpec(String id) {
        if (spec == null) {
            return false;
        }
        for (OnRamp o : spec.onRamps()) {
            for (Gateway g : o.gateways()) {
                if (g.node().equals(id)) {
                    return true;
                }
            }
        }
        for (BackboneLink l : spec.links()) {
            if (l.a().equals(id) || l.b().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The model of a joined node: its record, completed by its declaration when the spec has one (roles,
     * reachability, region, declared endpoints and tags). An undeclared node is a reachable member.
     */
    Node toNode(NodeRecord r) {
        NodeDeclaration d = declaration(r.id());
        Set<Role> roles = d != null && d.roles() != null && !d.roles().isEmpty() ? d.roles() : Set.of(Role.MEMBER);
        Set<String> tags = new TreeSet<>(r.tags());
        Set<Endpoint> endpoints = new LinkedHashSet<>();
        r.endpoints().forEach(e -> endpoints.add(Endpoint.parse(e)));
        if (d != null) {
            if (d.tags() != null) {
                tags.addAll(d.tags());
            }
            if (d.endpoints() != null) {
                endpoints.addAll(d.endpoints());
            }
        }
        List<IpPrefix> addresses = r.addresses().stream().map(IpPrefix::parse).toList();
        return new Node(r.id(), r.hostname(), PublicKey.fromBase64(r.publicKey()), addresses, List.copyOf(tags), roles,
                List.copyOf(endpoints), d == null || d.reachable(), d == null || d.region() == null ? "" : d.region());
    }

    /**
     * The topology of the nodes in {@code records} that are not expired. On-ramp gateways and backbone links
     * that name nodes not joined yet are left out until they join.
     */
    Topology topology(Iterable<NodeRecord> records) {
        List<Node> nodes = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (NodeRecord r : records) {
            if (!r.expired()) {
                nodes.add(toNode(r));
                ids.add(r.id());
            }
        }
        List<OnRamp> ramps = new ArrayList<>();
        List<BackboneLink> links = new ArrayList<>();
        if (spec != null) {
            for (OnRamp o : spec.onRamps()) {
                List<Gateway> gws = o.gateways().stream().filter(g -> ids.contains(g.node())).toList();
                ramps.add(new OnRamp(o.name(), o.provider(), o.region(), o.vpc(), o.cidrs(), gws, o.snat(), o.healthCheck()));
            }
            for (BackboneLink l : spec.links()) {
                if (ids.contains(l.a()) && ids.contains(l.b())) {
                    links.add(l);
                }
            }
        }
        return new Topology(network(), nodes, ramps, links);
    }

    /**
     * An address book holding the addresses of every record (expired nodes keep theirs until deleted),
     * allocated in node-id order, so the next allocation is the same on every member.
     */
    Ipam ipam(Iterable<NodeRecord> records) {
        Network n = network();
        Ipam ipam = new Ipam(n.ipv4(), n.ipv6());
        List<NodeRecord> sorted = new ArrayList<>();
        records.forEach(sorted::add);
        sorted.sort(Comparator.comparing(NodeRecord::id));
        for (NodeRecord r : sorted) {
            Map<Boolean, IpPrefix> byFamily = new HashMap<>();
            r.addresses().forEach(a -> {
                IpPrefix p = IpPrefix.parse(a);
                byFamily.put(p.isIpv4(), p);
            });
            IpPrefix v4 = byFamily.get(true);
            IpPrefix v6 = byFamily.get(false);
            if (v4 != null && v6 != null && n.ipv4().contains(v4) && n.ipv6().contains(v6)) {
                ipam.allocate(r.id(), v4, v6);
            }
        }
        return ipam;
    }
}
