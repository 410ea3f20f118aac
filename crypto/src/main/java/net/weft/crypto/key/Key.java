package net.weft.crypto.key;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * 32 bytes of key material, encoded in base64 as {@code wg} prints it. Equality is constant-time;
 * {@link #destroy()} zeroes the bytes.
 */
public abstract sealed class Key permits PrivateKey, PublicKey, PresharedKey {

    /** Length of every WireGuard key in bytes. */
    public static final int KEY_LENGTH = 32;

    /** The base64 character that encodes the last 4 bits of a key, followed by two zero bits. */
    private static final String CANONICAL_LAST_CHARACTER = "AEIMQUYcgkosw048";

    private final byte[] bytes;

    Key(byte[] bytes) {
        if (bytes == null || bytes.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a WireGuard key is " + KEY_LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        this.bytes = bytes.clone();
    }

    static byte[] decodeBase64(String base64, String what) {
        if (base64 == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String s = base64.strip();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64");
        }
        if (decoded.length != KEY_LENGTH) {
            throw new IllegalArgumentException(what + " must decode to " + KEY_LENGTH + " bytes, got " + decoded.length);
        }
        // Exactly as wg prints a key: 43 characters and one '=' of padding (the JDK also takes none).
        if (s.length() != 44) {
            Arrays.fill(decoded, (byte) 0);
            throw new IllegalArgumentException(what + " is not valid base64");
        }
        // The 43rd character holds the last 4 key bits and 2 bits that must be zero. The JDK's
        // decoder ignores those 2, so "...AB=" would also mean "...AA="; wg refuses it.
        if (s.charAt(42) != CANONICAL_LAST_CHARACTER.charAt(decoded[KEY_LENGTH - 1] & 0x0f)) {
            Arrays.fill(decoded, (byte) 0);
            throw new IllegalArgumentException(what + " is not valid base64");
        }
        return decoded;
    }

    static byte[] decodeHex(String hex, String what) {
        if (hex == null || hex.length() != 2 * KEY_LENGTH) {
            throw new IllegalArgumentException(what + " must be " + 2 * KEY_LENGTH + " hex digits");
        }
        byte[] out = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            char h = hex.charAt(2 * i);
            char l = hex.charAt(2 * i + 1);
            // ASCII digits only: Character.digit would also take other scripts' digits
            if (!HexFormat.isHexDigit(h) || !HexFormat.isHexDigit(l)) {
                throw new IllegalArgumentException(what + " must be " + 2 * KEY_LENGTH + " hex digits");
            }
            out[i] = (byte) (HexFormat.fromHexDigit(h) << 4 | HexFormat.fromHexDigit(l));
        }
        return out;
    }

    /** A copy of the key bytes. */
    public final byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the key bytes into {@code dst} at {@code off}. */
    public final void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, KEY_LENGTH);
    }

    /** The key as {@code wg} prints it: standard base64 with padding, 44 characters. */
    public final String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The key as 64 lowercase hex digits, as the UAPI protocol carries it. */
    public final String toHex() {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** The internal array, for code in this module that must not copy on a hot path. */
    final byte[] unsafeBytes() {
        return bytes;
    }

    /** True when every byte is zero (an unset key, or one that was destroyed). */
    public final boolean isZero() {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    /** Overwrites the key bytes with zeros. The key is unusable afterwards. */
    public final void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    /** Constant-time comparison: same class and same bytes. */
    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        return MessageDigest.isEqual(bytes, ((Key) o).bytes);
    }

    /**
     * A hash of the first four bytes: good enough for hash maps of public keys and, unlike the
     * whole key, harmless to leak through timing.
     */
    @Override
    public final int hashCode() {
        return (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 24;
    }
}
