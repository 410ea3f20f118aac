package net.weft.coordinator.service;

import net.weft.topology.wire.MapUpdate;

/** Where a node's map stream goes (the API's server-sent events); implementations must not block. */
public interface MapSink {

    /** Sends one update; false when the sink is closed, which ends the stream. */
    boolean send(MapUpdate update);

    /** Ends the stream (the node was deleted or expired). */
    void close();
}
