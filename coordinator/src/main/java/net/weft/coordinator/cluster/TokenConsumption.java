package net.weft.coordinator.cluster;

import java.io.Serializable;

/**
 * The outcome of consuming a join token on its owning partition.
 *
 * @param outcome   what happened
 * @param tokenJson the token after this use (when {@link Outcome#CONSUMED}), as stored, else null
 */
public record TokenConsumption(Outcome outcome, String tokenJson) implements Serializable {

    /** The token after this use, or null when it was not consumed. */
    public TokenRecord token() {
        return StoreJson.read(tokenJson, TokenRecord.class);
    }

    /** Why a token was or was not consumed. */
    public enum Outcome {
        CONSUMED,
        /** No such token (never created, revoked, or a wrong secret: told apart only in logs, never to the caller). */
        UNKNOWN,
        EXPIRED,
        USED_UP
    }
}
