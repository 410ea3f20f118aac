package net.weft.coordinator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets, their hashes and the ids derived from them. */
public final class Secrets {

    /** 256 random bits per secret. */
    public static final int SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new secret: {@link #SECRET_BYTES} random bytes, base64url without padding (43 characters). */
    public static String newSecret() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** {@code bytes} random bytes as lowercase hex. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** SHA-256 of the secret's UTF-8 text. */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A hash as stored: base64url without padding. */
    public static String hashText(byte[] hash) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    /** True when {@code secret} hashes to {@code storedHash} ({@link #hashText}), compared in constant time. */
    public static boolean matches(String secret, String storedHash) {
        if (secret == null || storedHash == null) {
            return false;
        }
        byte[] want;
        try {
            want = Base64.getUrlDecoder().decode(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hash(secret), want);
    }

    /**
     * The public id of a token: the first 8 bytes of its hash in hex. Knowing it reveals nothing of the
     * secret; it is the key the token is stored under, so the secret finds its token in one lookup.
     */
    public static String idOf(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, 8);
    }
}
