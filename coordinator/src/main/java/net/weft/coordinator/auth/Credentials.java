package net.weft.coordinator.auth;

/** Node credentials read {@code NODE_ID.SECRET}: the id says which hash to compare, the secret is checked. */
public final class Credentials {

    private Credentials() {
    }

    /** The credential handed to node {@code nodeId} with {@code secret}. */
    public static String nodeCredential(String nodeId, String secret) {
        return nodeId + "." + secret;
    }

    /** The node id a credential names, or null when it is not of the form {@code NODE_ID.SECRET}. */
    static String nodeIdOf(String credential) {
        int dot = credential.indexOf('.');
        return dot <= 0 || dot == credential.length() - 1 ? null : credential.substring(0, dot);
    }

    /** The secret part. */
    static String secretOf(String credential) {
        return credential.substring(credential.indexOf('.') + 1);
    }
}
