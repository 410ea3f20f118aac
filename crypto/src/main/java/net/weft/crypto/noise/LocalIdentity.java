package net.weft.crypto.noise;

import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;

/**
 * This device's static key pair. The private key stays inside; {@link #destroy()} erases it.
 *
 * @param privateKey the device's private key
 * @param publicKey its public key, derived once
 */
public record LocalIdentity(PrivateKey privateKey, PublicKey publicKey) {

    public LocalIdentity {
        if (!privateKey.publicKey().equals(publicKey)) {
            throw new IllegalArgumentException("public key does not belong to the private key");
        }
    }

    /** The identity of {@code privateKey}. */
    public static LocalIdentity of(PrivateKey privateKey) {
        return new LocalIdentity(privateKey, privateKey.publicKey());
    }

    public void destroy() {
        privateKey.destroy();
    }

    @Override
    public String toString() {
        return "LocalIdentity(" + publicKey + ")";
    }
}
