package net.weft.topology.model;

/** What a node does besides being a member of the mesh. */
public enum Role {
    /** An ordinary node: sends and receives its own traffic. */
    MEMBER,
    /** Forwards an on-ramp's CIDRs into a cloud VPC. */
    GATEWAY,
    /** Reachable from outside; forwards between nodes that cannot reach each other, over backbone links. */
    RELAY
}
