package net.weft.topology.wire;

import java.util.List;

/**
 * A node tells the coordinator where it can be reached. The coordinator adds the address it sees the
 * report come from; the node's identity comes from its credential, not from this body.
 *
 * @param protocolVersion    the node's {@link Protocol#PROTOCOL_VERSION}
 * @param endpoints          local underlay endpoints, e.g. {@code 192.0.2.7:51820}
 * @param reportedAtMillis   the node's clock, milliseconds since the epoch
 */
public record EndpointReport(int protocolVersion, List<net.weft.topology.model.Endpoint> endpoints,
                             long reportedAtMillis) {

    public EndpointReport {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
