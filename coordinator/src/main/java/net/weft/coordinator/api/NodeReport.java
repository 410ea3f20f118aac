package net.weft.coordinator.api;

import java.util.List;
import net.weft.topology.model.Endpoint;
import net.weft.topology.wire.HealthReport;
import net.weft.topology.wire.PeerReport;

/**
 * {@code POST /api/v1/report}: what a node sees of itself. Every part is optional: null (absent) means "not
 * reported", and leaves what the coordinator holds alone.
 *
 * @param protocolVersion the node's protocol version
 * @param endpoints       its underlay endpoints ({@code 192.0.2.7:51820}); they replace the previous ones
 * @param health          its on-ramp health verdicts, when it is a gateway (after every probe round)
 * @param peers           its counters per peer (at most {@link net.weft.coordinator.service.NetworkService#MAX_PEER_REPORTS}),
 *                        for the dashboard; they replace the previous ones
 */
public record NodeReport(int protocolVersion, List<Endpoint> endpoints, List<HealthReport> health,
                         List<PeerReport> peers) {
}
