package net.weft.topology.map;

import java.util.List;
import java.util.Objects;
import net.weft.topology.model.SortedList;

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
        peers = sortedById(peers);
    }

    /** {@code peers} sorted by id; a {@link SortedList} in that order is taken as it is. */
    private static List<Peer> sortedById(List<Peer> peers) {
        if (peers instanceof SortedList<Peer> s && s.order() == Peer.BY_NODE_ID) {
            return s;
        }
        List<Peer> sorted = peers.stream().sorted(Peer.BY_NODE_ID).toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).nodeId().equals(sorted.get(i - 1).nodeId())) {
                throw new IllegalArgumentException("peer " + sorted.get(i).nodeId() + " appears twice");
            }
        }
        return SortedList.copyOf(sorted, Peer.BY_NODE_ID);
    }

    /** The id of the node this map is for. */
    public String nodeId() {
        return self.nodeId();
    }

    /** The peer with {@code nodeId}, or null (a binary search: peers are sorted by id). */
    public Peer peer(String nodeId) {
        int lo = 0;
        int hi = peers.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Peer p = peers.get(mid);
            int c = p.nodeId().compareTo(nodeId);
            if (c == 0) {
                return p;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }
}
