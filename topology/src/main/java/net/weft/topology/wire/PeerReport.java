package net.weft.topology.wire;

import java.util.Objects;
import net.weft.topology.model.Endpoint;

/**
 * A node's counters for one of its peers (one tunnel), as its data plane keeps them; part of the node's
 * periodic report, for the dashboard. The counters are the node's own since its device started, so they may
 * go down when it restarts.
 *
 * @param nodeId              the peer's node id
 * @param endpoint            the peer's underlay endpoint the node sends to now, or null when it has none
 * @param rxBytes             bytes received from the peer
 * @param txBytes             bytes sent to the peer
 * @param lastHandshakeMillis the node's clock at the last completed handshake with the peer, milliseconds since
 *                            the epoch; 0 when there has been none
 */
public record PeerReport(String nodeId, Endpoint endpoint, long rxBytes, long txBytes, long lastHandshakeMillis) {

    /** The longest node id a report may name (node ids are DNS labels or generated ids, well below this). */
    public static final int MAX_NODE_ID_CHARS = 64;

    /**
     * @throws IllegalArgumentException when the node id is blank or longer than {@link #MAX_NODE_ID_CHARS}, or a
     *                                  counter or the handshake time is negative
     */
    public PeerReport {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank() || nodeId.length() > MAX_NODE_ID_CHARS) {
            throw new IllegalArgumentException("nodeId must be 1.." + MAX_NODE_ID_CHARS + " characters, not blank");
        }
        if (rxBytes < 0 || txBytes < 0) {
            throw new IllegalArgumentException("byte counters must not be negative");
        }
        if (lastHandshakeMillis < 0) {
            throw new IllegalArgumentException("lastHandshakeMillis must not be negative (0: never)");
        }
    }
}
