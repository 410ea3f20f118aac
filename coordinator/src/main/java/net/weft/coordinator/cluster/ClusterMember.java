package net.weft.coordinator.cluster;

/**
 * A coordinator member as this one sees it.
 *
 * @param address the member's cluster address, {@code host:port}
 * @param local   true for the member answering
 * @param oldest  true for the oldest member, the one that runs cluster-wide housekeeping
 */
public record ClusterMember(String address, boolean local, boolean oldest) {
}
