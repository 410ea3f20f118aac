package net.weft.node.agent;

import java.util.List;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.IpPrefix;

/**
 * What the running agent shows {@code weft status}: written to the state directory every second.
 *
 * @param pid             the agent's process id
 * @param phase           {@code starting}, {@code up} or {@code stopping}
 * @param nodeId          the node's id (null before the join)
 * @param name            its host name
 * @param interfaceName   the WireGuard interface
 * @param addresses       its overlay addresses
 * @param listenPort      the UDP port
 * @param coordinator     the coordinator URL in use (or last tried)
 * @param connected       true while the map stream is open
 * @param lastError       the last control-plane error, or null
 * @param mapVersion      the version of the map applied (0 before the first)
 * @param updatedAtMillis when this snapshot was taken
 * @param relay           true when this node forwards between peers
 * @param peers           the device's peers
 * @param gateways        the on-ramps this node is a gateway of
 * @param routes          the prefixes routed into the mesh that are not single nodes (on-ramp CIDRs), with the peer
 *                        that carries each: which gateway is active for an on-ramp
 */
public record AgentStatus(long pid, String phase, String nodeId, String name, String interfaceName,
                          List<IpPrefix> addresses, int listenPort, String coordinator, boolean connected,
                          String lastError, long mapVersion, long updatedAtMillis, boolean relay, List<PeerView> peers,
                          List<GatewayView> gateways, List<RouteView> routes) {

    public AgentStatus {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        peers = peers == null ? List.of() : List.copyOf(peers);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /**
     * One peer of the device.
     *
     * @param nodeId              the peer's node id (null when the peer is not from the map)
     * @param publicKey           its key
     * @param endpoint            its current endpoint, or null
     * @param allowedIps          what is routed to it
     * @param lastHandshakeMillis wall-clock time of the last handshake, 0 for never
     * @param rxBytes             bytes received
     * @param txBytes             bytes sent
     */
    public record PeerView(String nodeId, PublicKey publicKey, String endpoint, List<IpPrefix> allowedIps,
                           long lastHandshakeMillis, long rxBytes, long txBytes) {
        public PeerView {
            allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
        }
    }

    /**
     * An on-ramp this node is a gateway of.
     *
     * @param onRamp  its name
     * @param cidrs   the VPC prefixes
     * @param active  true when this node is the active gateway
     * @param healthy the latest probe verdict
     */
    public record GatewayView(String onRamp, List<IpPrefix> cidrs, boolean active, boolean healthy) {
    }

    /**
     * A non-node prefix routed into the mesh.
     *
     * @param prefix the prefix
     * @param via    the node id of the peer that carries it
     */
    public record RouteView(IpPrefix prefix, String via) {
    }
}
