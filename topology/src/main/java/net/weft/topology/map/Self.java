package net.weft.topology.map;

import java.util.List;
import java.util.Objects;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.SortedList;

/**
 * The node a map is for.
 *
 * @param nodeId    the node's id
 * @param name      the node's host name
 * @param addresses its overlay addresses, sorted
 * @param mtu       the overlay MTU
 * @param routes    on-ramp CIDRs this node currently serves as active gateway, sorted
 * @param relay     true when the node is an active relay: it forwards, in userspace, packets between peers
 *                  (protocol 2; false from an older coordinator)
 * @param gateways  the on-ramps this node is a gateway of, active or standby, by on-ramp name: what to probe
 *                  and whether to source-NAT (protocol 2; empty from an older coordinator)
 */
public record Self(String nodeId, String name, List<IpPrefix> addresses, int mtu, List<IpPrefix> routes,
                   boolean relay, List<GatewayDuty> gateways) {

    public Self {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(name, "name");
        addresses = SortedList.copyOf(addresses == null ? List.of() : addresses);
        routes = SortedList.copyOf(routes == null ? List.of() : routes);
        gateways = gateways == null ? List.of() : SortedList.copyOf(gateways, GatewayDuty.BY_ON_RAMP);
    }

    /** A node that neither relays nor serves an on-ramp. */
    public Self(String nodeId, String name, List<IpPrefix> addresses, int mtu, List<IpPrefix> routes) {
        this(nodeId, name, addresses, mtu, routes, false, List.of());
    }
}
