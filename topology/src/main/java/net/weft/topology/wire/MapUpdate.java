package net.weft.topology.wire;

import net.weft.topology.map.MapDelta;
import net.weft.topology.map.NetworkMap;

/**
 * One message of a node's map stream: a full map or a delta, never both.
 *
 * @param protocolVersion the coordinator's {@link Protocol#PROTOCOL_VERSION}
 * @param full            a full map (after joining, reconnecting too far behind, or on request), else null
 * @param delta           the change from the node's current version, else null
 */
public record MapUpdate(int protocolVersion, NetworkMap full, MapDelta delta) {

    public MapUpdate {
        if ((full == null) == (delta == null)) {
            throw new IllegalArgumentException("a map update carries either a full map or a delta");
        }
    }

    /** A full map update. */
    public static MapUpdate full(NetworkMap map) {
        return new MapUpdate(Protocol.PROTOCOL_VERSION, map, null);
    }

    /** A delta update. */
    public static MapUpdate delta(MapDelta delta) {
        return new MapUpdate(Protocol.PROTOCOL_VERSION, null, delta);
    }

    /** The version the node holds after this update. */
    public long toVersion() {
        return full != null ? full.version() : delta.toVersion();
    }

    /**
     * The map after this update, given the node's current map (null before the first).
     *
     * @throws IllegalArgumentException when a delta does not apply to {@code current}: ask for a full map
     */
    public NetworkMap applyTo(NetworkMap current) {
        if (full != null) {
            return full;
        }
        if (current == null) {
            throw new IllegalArgumentException("a delta needs a current map");
        }
        return delta.apply(current);
    }
}
