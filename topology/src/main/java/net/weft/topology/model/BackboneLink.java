package net.weft.topology.model;

import java.util.Objects;

/**
 * A link between two relay nodes over which relayed traffic may travel. Undirected: {@code a} is
 * always the smaller node id.
 *
 * @param name the link's name
 * @param a    one relay's node id
 * @param b    the other relay's node id
 * @param cost non-negative; paths minimise the sum
 */
public record BackboneLink(String name, String a, String b, long cost) {

    public BackboneLink {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.equals(b)) {
            throw new IllegalArgumentException("backbone link " + name + " joins " + a + " to itself");
        }
        if (cost < 0) {
            throw new IllegalArgumentException("backbone link " + name + " has negative cost " + cost);
        }
        if (a.compareTo(b) > 0) {
            String t = a;
            a = b;
            b = t;
        }
    }

    /** The end that is not {@code node}. */
    public String other(String node) {
        return node.equals(a) ? b : a;
    }
}
