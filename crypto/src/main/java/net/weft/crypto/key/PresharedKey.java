package net.weft.crypto.key;

import java.security.SecureRandom;

/** The optional symmetric key mixed into the handshake ({@code psk2}). All zeros means none. */
public final class PresharedKey extends Key {

    private PresharedKey(byte[] bytes) {
        super(bytes);
    }

    /** No preshared key: 32 zero bytes, as the protocol uses when none is configured. */
    public static PresharedKey none() {
        return new PresharedKey(new byte[KEY_LENGTH]);
    }

    /** A fresh random preshared key, as {@code wg genpsk} makes. */
    public static PresharedKey generate(SecureRandom random) {
        byte[] k = new byte[KEY_LENGTH];
        random.nextBytes(k);
        try {
            return new PresharedKey(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    public static PresharedKey fromBytes(byte[] bytes) {
        return new PresharedKey(bytes);
    }

    public static PresharedKey fromBase64(String base64) {
        byte[] k = decodeBase64(base64, "preshared key");
        try {
            return new PresharedKey(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    public static PresharedKey fromHex(String hex) {
        byte[] k = decodeHex(hex, "preshared key");
        try {
            return new PresharedKey(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return isZero() ? "PresharedKey(none)" : "PresharedKey(redacted)";
    }
}
