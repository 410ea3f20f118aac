package net.weft.topology.routing;

import java.util.List;
import java.util.Objects;
import net.weft.topology.map.MapDelta;
import net.weft.topology.map.NetworkMap;

/**
 * What one change of state does to the nodes' maps.
 *
 * @param plan     the plan after the change
 * @param deltas   one delta per existing node whose map changed, sorted by node id; a node whose map stays
 *                 the same gets none and keeps its version
 * @param fullMaps full maps for the nodes that need one (nodes that joined), sorted by node id
 */
public record PlanChange(RoutingPlan plan, List<MapDelta> deltas, List<NetworkMap> fullMaps) {

    public PlanChange {
        Objects.requireNonNull(plan, "plan");
        deltas = List.copyOf(deltas);
        fullMaps = List.copyOf(fullMaps);
    }
}
