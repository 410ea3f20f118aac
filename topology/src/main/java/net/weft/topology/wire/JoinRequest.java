package net.weft.topology.wire;

import java.util.List;
import java.util.Objects;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.Endpoint;

/**
 * {@code POST /api/v1/join}: a node asks to join with a token and its public key. The private key
 * never leaves the node.
 *
 * @param protocolVersion the node's {@link Protocol#PROTOCOL_VERSION}
 * @param token           the join token (secret: not printed)
 * @param publicKey       the node's public key, base64 in JSON as {@code wg} prints it
 * @param hostname        the node's host name
 * @param endpoints       underlay endpoints the node knows for itself
 */
public record JoinRequest(int protocolVersion, String token, PublicKey publicKey, String hostname,
                          List<Endpoint> endpoints) {

    public JoinRequest {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(hostname, "hostname");
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    @Override
    public String toString() {
        return "JoinRequest[v" + protocolVersion + ", " + publicKey + ", " + hostname + ", token=<redacted>]";
    }
}
