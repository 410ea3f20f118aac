package net.weft.crypto.primitive;

import java.security.SecureRandom;

/** Curve25519 Diffie-Hellman (RFC 7748) over Bouncy Castle, which is faster here than the JDK's XDH. */
public final class X25519 {

    /** Length of scalars, points and shared secrets. */
    public static final int LENGTH = 32;

    private X25519() {
    }

    /** A random private key, clamped as RFC 7748 section 5 describes. */
    public static void generatePrivateKey(SecureRandom random, byte[] out) {
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, out);
    }

    /** {@code out = X25519(privateKey, 9)}. */
    public static void publicKey(byte[] privateKey, byte[] out) {
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, out, 0);
    }

    /**
     * {@code out = X25519(privateKey, publicKey)}.
     *
     * @throws InvalidSharedSecretException when the result is all zeros
     */
    public static void sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            throw new InvalidSharedSecretException();
        }
    }

    /** The raw function without the all-zero check, for known-answer tests of RFC 7748. */
    public static void scalarMult(byte[] scalar, byte[] point, byte[] out) {
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(scalar, 0, point, 0, out, 0);
    }
}
