package net.weft.coordinator.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import net.weft.topology.wire.PeerReport;

/**
 * A node's latest per-peer counters, as the store keeps them (soft state, see {@link ClusterStore#putPeerReports}).
 * Kept in topology's canonical JSON, the form the node sent them in; the time is the coordinator's.
 *
 * @param nodeId           the reporting node
 * @param receivedAtMillis when a coordinator member received the report, milliseconds since the epoch
 * @param peers            one entry per peer, sorted by node id
 */
public record PeerReports(String nodeId, long receivedAtMillis, List<PeerReport> peers) {

    public PeerReports {
        Objects.requireNonNull(nodeId, "nodeId");
        peers = peers == null ? List.of() : peers.stream().sorted(Comparator.comparing(PeerReport::nodeId)).toList();
    }
}
