package net.weft.crypto.primitive;

/** X25519 produced the all-zero value: the peer's point has low order. The handshake must stop. */
public final class InvalidSharedSecretException extends RuntimeException {

    public InvalidSharedSecretException() {
        super("X25519 shared secret is all zeros (low-order public key)", null, false, false);
    }
}
