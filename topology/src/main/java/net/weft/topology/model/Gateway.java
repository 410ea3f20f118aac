package net.weft.topology.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * One gateway of an on-ramp.
 *
 * @param node     the gateway node's id
 * @param priority higher wins while healthy
 */
public record Gateway(String node, int priority) {

    /** Highest priority first, then by node id. */
    public static final Comparator<Gateway> PREFERENCE =
            Comparator.comparingInt(Gateway::priority).reversed().thenComparing(Gateway::node);

    public Gateway {
        Objects.requireNonNull(node, "node");
    }
}
