package net.weft.crypto.key;

/** A Curve25519 public key: a peer's identity. */
public final class PublicKey extends Key {

    private PublicKey(byte[] bytes) {
        super(bytes);
    }

    /** A public key from its 32 bytes (copied). */
    public static PublicKey fromBytes(byte[] bytes) {
        return new PublicKey(bytes);
    }

    /** A public key from {@code wg}'s base64 form. */
    public static PublicKey fromBase64(String base64) {
        return new PublicKey(decodeBase64(base64, "public key"));
    }

    /** A public key from the UAPI's 64 hex digits. */
    public static PublicKey fromHex(String hex) {
        return new PublicKey(decodeHex(hex, "public key"));
    }

    /** {@code peer(abcd…wxyz)}: the first and last four base64 characters, as wireguard-go logs peers. */
    @Override
    public String toString() {
        String b64 = toBase64();
        return "peer(" + b64.substring(0, 4) + "…" + b64.substring(39, 43) + ")";
    }
}
