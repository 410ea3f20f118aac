package net.weft.topology.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import net.weft.topology.model.SortedList;

/**
 * The difference between two versions of one node's map. {@code apply(diff(old, new), old)} equals
 * {@code new}.
 *
 * @param nodeId      the node the maps are for
 * @param fromVersion the version the delta applies to
 * @param toVersion   the version it produces
 * @param self        the new {@link Self} when it changed, else null
 * @param added       peers new in {@code toVersion}, sorted by id
 * @param removed     ids of peers gone in {@code toVersion}, sorted
 * @param changed     peers present in both whose entry changed, as they are in {@code toVersion}, sorted by id
 */
public record MapDelta(String nodeId, long fromVersion, long toVersion, Self self, List<Peer> added,
                       List<String> removed, List<Peer> changed) {

    public MapDelta {
        Objects.requireNonNull(nodeId, "nodeId");
        added = sorted(added, Peer.BY_NODE_ID);
        removed = sorted(removed, Comparator.naturalOrder());
        changed = sorted(changed, Peer.BY_NODE_ID);
    }

    /** An immutable copy of {@code list} in {@code order}; duplicates are kept, so {@link #apply} still rejects them. */
    private static <T> List<T> sorted(List<T> list, Comparator<? super T> order) {
        return SortedList.isStrictlyIncreasing(list, order) ? SortedList.copyOf(list, order)
                : list.stream().sorted(order).toList();
    }

    /** The delta that turns {@code from} into {@code to}. */
    public static MapDelta diff(NetworkMap from, NetworkMap to) {
        if (!from.nodeId().equals(to.nodeId())) {
            throw new IllegalArgumentException("maps of different nodes: " + from.nodeId() + " and " + to.nodeId());
        }
        List<Peer> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<Peer> changed = new ArrayList<>();
        // both peer lists are sorted by id: merge them
        List<Peer> a = from.peers();
        List<Peer> b = to.peers();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            int c = i == a.size() ? 1 : j == b.size() ? -1 : a.get(i).nodeId().compareTo(b.get(j).nodeId());
            if (c < 0) {
                removed.add(a.get(i++).nodeId());
            } else if (c > 0) {
                added.add(b.get(j++));
            } else {
                if (!a.get(i).equals(b.get(j))) {
                    changed.add(b.get(j));
                }
                i++;
                j++;
            }
        }
        Self self = from.self().equals(to.self()) ? null : to.self();
        return new MapDelta(to.nodeId(), from.version(), to.version(), self, added, removed, changed);
    }

    /** True when the delta changes nothing but the version. */
    public boolean isEmpty() {
        return self == null && added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /**
     * The map this delta produces from {@code old}.
     *
     * @throws IllegalArgumentException when {@code old} is not the map this delta starts from (other node,
     *                                  other version, or peers that do not match); the node then needs a full map
     */
    public NetworkMap apply(NetworkMap old) {
        if (!old.nodeId().equals(nodeId) || old.version() != fromVersion) {
            throw new IllegalArgumentException("delta " + nodeId + "@" + fromVersion + "->" + toVersion
                    + " does not apply to " + old.nodeId() + "@" + old.version());
        }
        Map<String, Peer> peers = new TreeMap<>();
        old.peers().forEach(p -> peers.put(p.nodeId(), p));
        for (String id : removed) {
            if (peers.remove(id) == null) {
                throw new IllegalArgumentException("delta removes unknown peer " + id);
            }
        }
        for (Peer p : added) {
            if (peers.put(p.nodeId(), p) != null) {
                throw new IllegalArgumentException("delta adds existing peer " + p.nodeId());
            }
        }
        for (Peer p : changed) {
            if (peers.put(p.nodeId(), p) == null) {
                throw new IllegalArgumentException("delta changes unknown peer " + p.nodeId());
            }
        }
        return new NetworkMap(toVersion, self == null ? old.self() : self, List.copyOf(peers.values()));
    }
}
