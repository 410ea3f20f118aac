package net.weft.coordinator.cluster;

import java.io.Serializable;

/**
 * A change of the network's state, published to every member after it is stored, so each member
 * brings its routing plan to {@code toVersion} and pushes the deltas to the nodes connected to it.
 *
 * @param kind        what changed
 * @param nodeId      the node concerned, or null for a spec change
 * @param fromVersion the network version before the change
 * @param toVersion   the version after it
 * @param changedAtMillis when the change was made (the member's clock, ms since the epoch), for the push latency
 */
public record ChangeEvent(Kind kind, String nodeId, long fromVersion, long toVersion, long changedAtMillis)
        implements Serializable {

    /** The kinds of change. */
    public enum Kind {
        /** A node joined: members holding the plan at {@code fromVersion} take topology's fast join path. */
        JOIN,
        /** Anything else (a node deleted, expired or changed, a new spec): members recompute from the store. */
        RECOMPUTE
    }
}
