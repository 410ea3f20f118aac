package net.weft.coordinator.auth;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link AuthFilter}. */
@RequestScoped
public class Caller {

    private String nodeId;
    private boolean admin;

    void setAdmin() {
        this.admin = true;
    }

    void setNode(String id) {
        this.nodeId = id;
    }

    /** True for the admin. */
    public boolean isAdmin() {
        return admin;
    }

    /** The calling node's id, from its credential; null when the caller is not a node. */
    public String nodeId() {
        return nodeId;
    }
}
