package net.weft.crypto.key;

import java.security.SecureRandom;
import net.weft.crypto.primitive.X25519;

/** A Curve25519 private key. Never printed, never logged; {@link #destroy()} zeroes it. */
public final class PrivateKey extends Key {

    /** The derived public key's bytes, computed once (an X25519 base-point multiplication costs ~30 us). */
    private volatile byte[] publicBytes;

    private PrivateKey(byte[] bytes) {
        super(bytes);
    }

    /** A fresh clamped private key, as {@code wg genkey} makes. */
    public static PrivateKey generate(SecureRandom random) {
        byte[] k = new byte[KEY_LENGTH];
        X25519.generatePrivateKey(random, k);
        try {
            return new PrivateKey(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    /** A private key from its 32 bytes (copied). */
    public static PrivateKey fromBytes(byte[] bytes) {
        return new PrivateKey(bytes);
    }

    /** A private key from {@code wg}'s base64 form. */
    public static PrivateKey fromBase64(String base64) {
        byte[] k = decodeBase64(base64, "private key");
        try {
            return new PrivateKey(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    /** A private key from the UAPI's 64 hex digits. */
    public static PrivateKey fromHex(String hex) {
        byte[] k = decodeHex(hex, "private key");
        try {
            return new PrivateKey(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    /** The matching public key, as {@code wg pubkey} derives it; derived on first use, then kept. */
    public PublicKey publicKey() {
        byte[] pub = publicBytes;
        if (pub == null) {
            pub = new byte[KEY_LENGTH];
            X25519.publicKey(unsafeBytes(), pub);
            publicBytes = pub;
        }
        return PublicKey.fromBytes(pub); // a copy: a caller may destroy it
    }

    /**
     * The X25519 shared secret with {@code peer}, written to {@code out}.
     *
     * @throws net.weft.crypto.primitive.InvalidSharedSecretException when the result is all zeros
     *     (a low-order point), which the whitepaper requires to be rejected
     */
    public void sharedSecret(PublicKey peer, byte[] out) {
        X25519.sharedSecret(unsafeBytes(), peer.unsafeBytes(), out);
    }

    @Override
    public String toString() {
        return "PrivateKey(redacted)";
    }
}
