package net.weft.topology.map;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.SortedList;

/**
 * One WireGuard peer in a node's map: a node this node talks to directly.
 *
 * @param nodeId                     the peer's node id
 * @param publicKey                  the peer's public key
 * @param endpoints                  underlay endpoints to try, sorted
 * @param allowedIps                 the prefixes routed to (and accepted from) this peer, sorted: its own
 *                                   addresses, those of nodes it relays to, and on-ramp CIDRs it serves
 * @param persistentKeepaliveSeconds 0 for none; set when a NAT sits between the two
 */
public record Peer(String nodeId, PublicKey publicKey, List<Endpoint> endpoints, List<IpPrefix> allowedIps,
                   int persistentKeepaliveSeconds) {

    /** Peers by node id: the order of peer lists in maps and deltas. */
    public static final Comparator<Peer> BY_NODE_ID = Comparator.comparing(Peer::nodeId);

    public Peer {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(publicKey, "publicKey");
        endpoints = SortedList.copyOf(endpoints);
        allowedIps = SortedList.copyOf(allowedIps);
        if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
            throw new IllegalArgumentException("persistent keepalive " + persistentKeepaliveSeconds + " is outside 0..65535");
        }
    }
}
