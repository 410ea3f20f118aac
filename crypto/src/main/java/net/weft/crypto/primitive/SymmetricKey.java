package net.weft.crypto.primitive;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A 32-byte ChaCha20-Poly1305 key that can be zeroed, unlike {@code SecretKeySpec}. Transport
 * keys live in these so that a keypair's expiry really erases them.
 */
public final class SymmetricKey implements SecretKey {

    private static final long serialVersionUID = 1L;

    private final byte[] key;
    private volatile boolean destroyed;

    /** A key holding a copy of {@code key[0..32)}. */
    public SymmetricKey(byte[] key) {
        if (key.length != ChaChaPoly.KEY_LENGTH) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 keys are 32 bytes");
        }
        this.key = key.clone();
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("key destroyed");
        }
        return key.clone();
    }

    /** The raw bytes without a copy, for Bouncy Castle within this module. */
    byte[] raw() {
        return key;
    }

    /** Zeroes the key; later use fails. */
    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SymmetricKey(redacted)";
    }
}
