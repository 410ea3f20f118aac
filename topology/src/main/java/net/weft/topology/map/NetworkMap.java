package net.weft.topology.map;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything one node needs to configure its WireGuard device: itself and its peers, sorted by node
 * id, at a version. Equal maps serialize to identical bytes ({@link CanonicalJson}).
 *
 * @param version increases with every change of the map's inputs
 * @param self    the node itself
 * @param peers   its peers, sorted by node id, ids unique
 */
public record NetworkMap(long version, Self self, List<Peer> peers) {

    public NetworkMap {
        Objects.requireNonNull(self, "self");
        peers = peers.stream().sorted(Comparator.comparing(Peer::nodeId)).toList();
        for (int i = 1; i < peers.size(); i++) {
            if (peers.get(i).nodeId().equals(peers.get(i - 1).nodeId())) {
                throw new IllegalArgumentException("peer " + peers.get(i).nodeId() + " appears twice");
            }
        }
    }

    /** The id of the node this map is for. */
    public String nodeId() {
        return self.nodeId();
    }

    /** The peer with {@code nodeId}, or null. */
    public Peer peer(String nodeId) {
        for (Peer p : peers) {
            if (p.nodeId().equals(nodeId)) {
                return p;
            }
        }
        return null;
    }
}
