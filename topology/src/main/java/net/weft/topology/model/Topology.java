package net.weft.topology.model;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired state of one network: its settings, nodes, on-ramps and backbone links. Held in
 * sorted maps (nodes by id, on-ramps and links by name), so two topologies built from the same
 * parts in any order are equal and iterate identically. References are checked on construction.
 */
public final class Topology {

    private final Network network;
    private final SortedMap<String, Node> nodes;
    private final SortedMap<String, OnRamp> onRamps;
    private final SortedMap<String, BackboneLink> links;

    /**
     * @throws IllegalArgumentException on a duplicate id or name, or a reference to an unknown node
     */
    public Topology(Network network, Collection<Node> nodes, Collection<OnRamp> onRamps, Collection<BackboneLink> links) {
        this.network = Objects.requireNonNull(network, "network");
        this.nodes = index(nodes, Node::id, "node");
        this.onRamps = index(onRamps, OnRamp::name, "on-ramp");
        this.links = index(links, BackboneLink::name, "backbone link");
        for (OnRamp r : onRamps) {
            for (Gateway g : r.gateways()) {
                requireNode(g.node(), "on-ramp " + r.name());
            }
        }
        for (BackboneLink l : links) {
            requireNode(l.a(), "backbone link " + l.name());
            requireNode(l.b(), "backbone link " + l.name());
        }
    }

    /** A topology from parts already indexed and checked. */
    private Topology(Network network, SortedMap<String, Node> nodes, SortedMap<String, OnRamp> onRamps,
                     SortedMap<String, BackboneLink> links) {
        this.network = network;
        this.nodes = nodes;
        this.onRamps = onRamps;
        this.links = links;
    }

    private void requireNode(String id, String where) {
        if (!nodes.containsKey(id)) {
            throw new IllegalArgumentException(where + " names unknown node " + id);
        }
    }

    private static <T> SortedMap<String, T> index(Collection<T> items, java.util.function.Function<T, String> key, String what) {
        TreeMap<String, T> map = new TreeMap<>();
        for (T item : items) {
            if (map.put(key.apply(item), item) != null) {
                throw new IllegalArgumentException("duplicate " + what + " " + key.apply(item));
            }
        }
        return Collections.unmodifiableSortedMap(map);
    }

    public Network network() {
        return network;
    }

    /** Nodes by id, sorted. */
    public SortedMap<String, Node> nodes() {
        return nodes;
    }

    /** On-ramps by name, sorted. */
    public SortedMap<String, OnRamp> onRamps() {
        return onRamps;
    }

    /** Backbone links by name, sorted. */
    public SortedMap<String, BackboneLink> links() {
        return links;
    }

    /** The node with {@code id}, or null. */
    public Node node(String id) {
        return nodes.get(id);
    }

    /** A copy with {@code node} added or replaced (in time linear in the number of nodes: no re-sorting). */
    public Topology withNode(Node node) {
        // copying a sorted map builds the tree in one pass; adding a node cannot break a reference
        TreeMap<String, Node> copy = new TreeMap<>(nodes);
        copy.put(node.id(), node);
        return new Topology(network, Collections.unmodifiableSortedMap(copy), onRamps, links);
    }

    /** A copy without node {@code id} (which no on-ramp or link may still name). */
    public Topology withoutNode(String id) {
        TreeMap<String, Node> copy = new TreeMap<>(nodes);
        copy.remove(id);
        return new Topology(network, copy.values(), onRamps.values(), links.values());
    }

    /** All nodes, sorted by id. */
    public List<Node> nodeList() {
        return List.copyOf(nodes.values());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && t.network.equals(network) && t.nodes.equals(nodes)
                && t.onRamps.equals(onRamps) && t.links.equals(links);
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, nodes, onRamps, links);
    }

    @Override
    public String toString() {
        return "Topology[" + network.name() + ", " + nodes.size() + " nodes, " + onRamps.size() + " on-ramps, "
                + links.size() + " links]";
    }

}
