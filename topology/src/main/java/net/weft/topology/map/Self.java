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
 */
public record Self(String nodeId, String name, List<IpPrefix> addresses, int mtu, List<IpPrefix> routes) {

    public Self {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(name, "name");
        addresses = SortedList.copyOf(addresses);
        routes = SortedList.copyOf(routes);
    }
}
