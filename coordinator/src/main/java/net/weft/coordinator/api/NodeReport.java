package net.weft.coordinator.api;

import java.util.List;
import net.weft.topology.model.Endpoint;
import net.weft.topology.wire.HealthReport;

/**
 * {@code POST /api/v1/report}: what a node sees of itself.
 *
 * @param protocolVersion the node's protocol version
 * @param endpoints       its underlay endpoints ({@code 192.0.2.7:51820}); they replace the previous ones
 * @param health          its on-ramp health verdicts, when it is a gateway
 */
public record NodeReport(int protocolVersion, List<Endpoint> endpoints, List<HealthReport> health) {
}
