package net.weft.topology.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The facts that change routing, as observed at one instant: which nodes are online and which
 * gateways report their on-ramp healthy. Snapshots are the input of
 * {@code net.weft.topology.routing.OnRampArbiter}, which turns gateway health into active gateways.
 *
 * @param onlineNodes     ids of nodes holding a heartbeat lease, sorted
 * @param healthyGateways per on-ramp name, the ids of gateways whose probes pass, sorted
 * @param observedAt      when the snapshot was taken
 */
public record LiveState(Set<String> onlineNodes, Map<String, Set<String>> healthyGateways, Instant observedAt) {

    public LiveState {
        Objects.requireNonNull(observedAt, "observedAt");
        onlineNodes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(onlineNodes));
        TreeMap<String, Set<String>> copy = new TreeMap<>();
        healthyGateways.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(v))));
        healthyGateways = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /** True when {@code nodeId} is online. */
    public boolean isOnline(String nodeId) {
        return onlineNodes.contains(nodeId);
    }

    /** True when gateway {@code nodeId} reports on-ramp {@code onRamp} healthy and is online. */
    public boolean isHealthy(String onRamp, String nodeId) {
        return onlineNodes.contains(nodeId) && healthyGateways.getOrDefault(onRamp, Set.of()).contains(nodeId);
    }
}
