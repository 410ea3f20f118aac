package net.weft.topology.wire;

import java.util.List;
import java.util.Objects;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.model.IpPrefix;

/**
 * The coordinator's answer to a join.
 *
 * @param protocolVersion the coordinator's {@link Protocol#PROTOCOL_VERSION}
 * @param nodeId          the id the node now has
 * @param addresses       its overlay addresses
 * @param nodeCredential  the credential the node authenticates every later call with (secret: not printed)
 * @param map             the node's first network map
 */
public record JoinResponse(int protocolVersion, String nodeId, List<IpPrefix> addresses, String nodeCredential,
                           NetworkMap map) {

    public JoinResponse {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(nodeCredential, "nodeCredential");
        Objects.requireNonNull(map, "map");
        addresses = List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return "JoinResponse[v" + protocolVersion + ", " + nodeId + ", " + addresses + ", map v" + map.version()
                + ", credential=<redacted>]";
    }
}
