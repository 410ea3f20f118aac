package net.weft.coordinator.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.weft.coordinator.cluster.PeerReports;
import net.weft.topology.wire.PeerReport;

/**
 * {@code GET /api/v1/nodes/{id}/peers}: a node's latest per-peer counters.
 *
 * @param nodeId     the node
 * @param reportedAt when a coordinator received them; null (left out) when the node has not reported any lately
 * @param peers      one entry per peer, by node id
 */
public record PeersView(String nodeId, Instant reportedAt, List<PeerReport> peers) {

    static PeersView of(String nodeId, Optional<PeerReports> reports) {
        return reports.map(r -> new PeersView(nodeId, Instant.ofEpochMilli(r.receivedAtMillis()), r.peers()))
                .orElse(new PeersView(nodeId, null, List.of()));
    }
}
