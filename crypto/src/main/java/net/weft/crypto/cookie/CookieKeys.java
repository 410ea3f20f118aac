package net.weft.crypto.cookie;

import java.nio.charset.StandardCharsets;
import net.weft.crypto.Protocol;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.primitive.Blake2s;

/** The two keys derived from a public key: {@code HASH(label || key)} for mac1 and for cookie encryption. */
final class CookieKeys {

    private static final byte[] MAC1 = Protocol.LABEL_MAC1.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COOKIE = Protocol.LABEL_COOKIE.getBytes(StandardCharsets.US_ASCII);

    final byte[] mac1Key = new byte[Blake2s.HASH_LENGTH];
    final byte[] cookieKey = new byte[Blake2s.HASH_LENGTH];

    CookieKeys(PublicKey key) {
        byte[] k = key.toBytes();
        Blake2s.get().hash(MAC1, k, mac1Key);
        Blake2s.get().hash(COOKIE, k, cookieKey);
    }

    /** Constant-time comparison of 16-byte macs. */
    static boolean macEquals(byte[] a, int aOff, byte[] b, int bOff) {
        int acc = 0;
        for (int i = 0; i < Blake2s.MAC_LENGTH; i++) {
            acc |= a[aOff + i] ^ b[bOff + i];
        }
        return acc == 0;
    }
}
