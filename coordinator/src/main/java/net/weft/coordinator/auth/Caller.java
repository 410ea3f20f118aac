package net.weft.coordinator.auth;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link AuthFilter}. */
@RequestScoped
public class Caller {

    private String nodeId;
    private boolean admin;
    private String sessionKey;

    void setAdmin() {
        this.admin = true;
    }

    /** The admin, through the dashboard session stored under {@code key}. */
    void setAdminSession(String key) {
        this.admin = true;
        this.sessionKey = key;
    }

    void setNode(String id) {
        this.nodeId = id;
    }

    /** True for the admin. */
    public boolean isAdmin() {
        return admin;
    }

    /** The key of the dashboard session the admin called through; null for a call with the credential itself. */
    public String sessionKey() {
        return sessionKey;
    }

    /** The calling node's id, from its credential; null when the caller is not a node. */
    public String nodeId() {
        return nodeId;
    }
}
