package net.weft.crypto.primitive;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@code XAEAD(key, nonce, plain, aad)}: XChaCha20-Poly1305 with a 192-bit random nonce, used only
 * to encrypt cookies in cookie replies. Bouncy Castle; the JDK has no XChaCha20.
 */
public final class XChaChaPoly {

    public static final int NONCE_LENGTH = 24;
    public static final int TAG_LENGTH = 16;

    private XChaChaPoly() {
    }

    /** Encrypts {@code in[inOff..inOff+len)} to {@code out[outOff..)}, tag appended; returns bytes written. */
    public static int seal(byte[] key, byte[] nonce, int nonceOff, byte[] aad,
                           byte[] in, int inOff, int len, byte[] out, int outOff) {
        XChaCha20Poly1305 c = init(true, key, nonce, nonceOff, aad);
        int n = c.processBytes(in, inOff, len, out, outOff);
        try {
            return n + c.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decrypts ciphertext and tag; returns the plaintext length, or {@code -1} when it does not authenticate. */
    public static int open(byte[] key, byte[] nonce, int nonceOff, byte[] aad,
                           byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len < TAG_LENGTH || out.length - outOff < len - TAG_LENGTH) {
            return -1;
        }
        XChaCha20Poly1305 c = init(false, key, nonce, nonceOff, aad);
        // Bouncy Castle buffers the last 16 bytes as the tag and writes plaintext as it goes
        byte[] tmp = new byte[len - TAG_LENGTH];
        try {
            int n = c.processBytes(in, inOff, len, tmp, 0);
            n += c.doFinal(tmp, n);
            System.arraycopy(tmp, 0, out, outOff, n);
            return n;
        } catch (InvalidCipherTextException | IllegalStateException e) {
            return -1;
        } finally {
            java.util.Arrays.fill(tmp, (byte) 0);
        }
    }

    private static XChaCha20Poly1305 init(boolean encrypt, byte[] key, byte[] nonce, int nonceOff, byte[] aad) {
        if (nonceOff < 0 || nonce.length - nonceOff < NONCE_LENGTH) {
            // copyOfRange would pad a short nonce with zeros and encrypt under a nonce nobody chose
            throw new IllegalArgumentException("XChaCha20-Poly1305 needs " + NONCE_LENGTH + " nonce bytes at offset " + nonceOff
                    + ", the array holds " + nonce.length);
        }
        byte[] n = java.util.Arrays.copyOfRange(nonce, nonceOff, nonceOff + NONCE_LENGTH);
        XChaCha20Poly1305 c = new XChaCha20Poly1305();
        c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, n, aad));
        return c;
    }
}
