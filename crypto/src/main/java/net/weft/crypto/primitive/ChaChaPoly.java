package net.weft.crypto.primitive;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * {@code AEAD(key, counter, plain, aad)}: ChaCha20-Poly1305 (RFC 8439) through JCE, whose
 * ChaCha20 and Poly1305 intrinsics make it the fastest choice on JDK 25. The 96-bit nonce is four
 * zero bytes followed by the 64-bit counter in little-endian order.
 *
 * <p>A {@code Cipher} is expensive to create (about 650 ns) and not thread-safe, so each thread
 * reuses its own: {@link #get()}. Authentication failures are answered by {@code -1}, never thrown.
 */
public final class ChaChaPoly {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    private static final String TRANSFORMATION = "ChaCha20-Poly1305";

    private static final ThreadLocal<ChaChaPoly> PER_THREAD = ThreadLocal.withInitial(ChaChaPoly::new);

    /** This thread's cipher; owned by the thread, never shared. */
    private Cipher cipher = newCipher();
    private final byte[] nonce = new byte[NONCE_LENGTH];

    /** This thread's instance. */
    public static ChaChaPoly get() {
        return PER_THREAD.get();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + TRANSFORMATION, e);
        }
    }

    private IvParameterSpec nonce(long counter) {
        nonce[4] = (byte) counter;
        nonce[5] = (byte) (counter >>> 8);
        nonce[6] = (byte) (counter >>> 16);
        nonce[7] = (byte) (counter >>> 24);
        nonce[8] = (byte) (counter >>> 32);
        nonce[9] = (byte) (counter >>> 40);
        nonce[10] = (byte) (counter >>> 48);
        nonce[11] = (byte) (counter >>> 56);
        return new IvParameterSpec(nonce);
    }

    private void init(int mode, SymmetricKey key, long counter, byte[] aad) throws GeneralSecurityException {
        IvParameterSpec iv = nonce(counter);
        try {
            cipher.init(mode, key, iv);
        } catch (InvalidKeyException e) {
            // JCE refuses to encrypt twice in a row with the same key and nonce on one Cipher,
            // even when that is legitimate (the same handshake message built twice). A fresh
            // Cipher has no memory of the previous call.
            cipher = newCipher();
            cipher.init(mode, key, iv);
        }
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
    }

    /**
     * Encrypts {@code in[inOff..inOff+len)} into {@code out[outOff..)} and appends the tag; the
     * ranges may be the same (in place). Returns the bytes written, {@code len + 16}.
     */
    public int seal(SymmetricKey key, long counter, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            init(Cipher.ENCRYPT_MODE, key, counter, aad);
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
        }
    }

    /**
     * Decrypts and authenticates {@code in[inOff..inOff+len)} (ciphertext and tag) into
     * {@code out[outOff..)}. Returns the plaintext length, or {@code -1} when the input is
     * shorter than a tag or does not authenticate.
     */
    public int open(SymmetricKey key, long counter, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len < TAG_LENGTH || out.length - outOff < len - TAG_LENGTH) {
            return -1;
        }
        try {
            init(Cipher.DECRYPT_MODE, key, counter, aad);
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    /**
     * Encrypts the remaining bytes of {@code in} into {@code out} and appends the tag; works on
     * direct buffers and in place. Returns the bytes written.
     */
    public int seal(SymmetricKey key, long counter, byte[] aad, ByteBuffer in, ByteBuffer out) {
        try {
            init(Cipher.ENCRYPT_MODE, key, counter, aad);
            return cipher.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
        }
    }

    /** Decrypts the remaining bytes of {@code in} into {@code out}; {@code -1} when they do not authenticate. */
    public int open(SymmetricKey key, long counter, byte[] aad, ByteBuffer in, ByteBuffer out) {
        if (in.remaining() < TAG_LENGTH || out.remaining() < in.remaining() - TAG_LENGTH) {
            return -1;
        }
        try {
            init(Cipher.DECRYPT_MODE, key, counter, aad);
            return cipher.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    /**
     * RFC 8439 with an arbitrary 96-bit nonce, for known-answer tests (Wycheproof, RFC 8439
     * section 2.8.2). Returns the output length or {@code -1} on an authentication failure.
     */
    public int withNonce(boolean encrypt, byte[] key, byte[] nonce96, byte[] aad, byte[] in, byte[] out) {
        try {
            Cipher c = newCipher();
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SymmetricKey(key), new IvParameterSpec(nonce96));
            if (aad != null) {
                c.updateAAD(aad);
            }
            return c.doFinal(in, 0, in.length, out, 0);
        } catch (GeneralSecurityException e) {
            if (encrypt) {
                throw new IllegalArgumentException("ChaCha20-Poly1305 rejected its input", e);
            }
            return -1;
        }
    }
}
