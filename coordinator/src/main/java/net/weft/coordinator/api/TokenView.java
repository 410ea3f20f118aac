package net.weft.coordinator.api;

import java.time.Instant;
import java.util.List;
import net.weft.coordinator.cluster.TokenRecord;

/**
 * A join token as the API shows it: never its hash, and its secret only in the answer to its creation.
 */
public record TokenView(String id, String secret, boolean reusable, Integer usesLeft, int used, List<String> tags,
                        boolean ephemeral, Instant createdAt, Instant expiresAt) {

    static TokenView of(TokenRecord t, String secret) {
        return new TokenView(t.id(), secret, t.reusable(), t.usesLeft(), t.used(), t.tags(), t.ephemeral(),
                t.createdAt(), t.expiresAt());
    }

    @Override
    public String toString() {
        return "TokenView[" + id + (secret == null ? "" : ", secret=<redacted>") + "]";
    }
}
