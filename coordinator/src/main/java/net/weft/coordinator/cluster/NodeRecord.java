package net.weft.coordinator.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A joined node as the store keeps it.
 *
 * @param id             the node id
 * @param hostname       the host name it joined with
 * @param publicKey      its WireGuard public key, base64 as {@code wg} prints it
 * @param addresses      its overlay addresses as host prefixes, IPv4 first
 * @param tags           labels, from its join token
 * @param endpoints      underlay endpoints it reported ({@code 192.0.2.7:51820})
 * @param observed       the address the coordinator saw its last report come from, or null
 * @param credentialHash SHA-256 of its node credential, base64url; the credential itself is never kept
 * @param tokenId        the token it joined with
 * @param ephemeral      true when it should be removed once offline (from an ephemeral token)
 * @param expired        true once an admin expired it: out of every map, credential refused
 * @param joinedAt       when it joined
 */
public record NodeRecord(String id, String hostname, String publicKey, List<String> addresses, List<String> tags,
                         List<String> endpoints, String observed, String credentialHash, String tokenId,
                         boolean ephemeral, boolean expired, Instant joinedAt) {

    public NodeRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(publicKey, "publicKey");
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        tags = tags == null ? List.of() : List.copyOf(tags);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** A copy marked expired. */
    public NodeRecord asExpired() {
        return new NodeRecord(id, hostname, publicKey, addresses, tags, endpoints, observed, credentialHash, tokenId,
                ephemeral, true, joinedAt);
    }

    /** A copy with other reported endpoints. */
    public NodeRecord withEndpoints(List<String> newEndpoints, String newObserved) {
        return new NodeRecord(id, hostname, publicKey, addresses, tags, newEndpoints, newObserved, credentialHash,
                tokenId, ephemeral, expired, joinedAt);
    }

    @Override
    public String toString() {
        return "NodeRecord[" + id + ", " + hostname + ", " + addresses + (expired ? ", expired" : "") + "]";
    }
}
