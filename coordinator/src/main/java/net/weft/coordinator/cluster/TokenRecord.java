package net.weft.coordinator.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A join token as the store keeps it: never the secret, only its hash.
 *
 * @param id        derived from the secret's hash ({@code net.weft.coordinator.auth.Secrets#idOf}), the map key
 * @param hash      SHA-256 of the secret, base64url
 * @param reusable  false: one join at most
 * @param usesLeft  joins left; null for a reusable token without a limit
 * @param tags      tags every node joining with it gets
 * @param ephemeral nodes joining with it are removed once offline
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or null for never
 * @param used      joins made with it so far
 */
public record TokenRecord(String id, String hash, boolean reusable, Integer usesLeft, List<String> tags,
                          boolean ephemeral, Instant createdAt, Instant expiresAt, int used) {

    public TokenRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hash, "hash");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A copy after one more join. */
    public TokenRecord consumed() {
        return new TokenRecord(id, hash, reusable, usesLeft == null ? null : usesLeft - 1, tags, ephemeral, createdAt,
                expiresAt, used + 1);
    }

    @Override
    public String toString() {
        return "TokenRecord[" + id + ", usesLeft=" + usesLeft + ", expiresAt=" + expiresAt + "]";
    }
}
