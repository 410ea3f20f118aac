package net.weft.crypto.primitive;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * BLAKE2s (RFC 7693) and what WireGuard builds on it: {@code HASH}, {@code HMAC},
 * {@code KDF1..3} (HKDF over HMAC-BLAKE2s) and the keyed 128-bit {@code MAC}.
 *
 * <p>Instances are not thread-safe; {@link #get()} returns one per thread.
 */
public final class Blake2s {

    /** {@code HASH} output length. */
    public static final int HASH_LENGTH = 32;
    /** {@code MAC} output length (keyed BLAKE2s-128, used for mac1, mac2 and cookies). */
    public static final int MAC_LENGTH = 16;
    /** BLAKE2s block length, the HMAC block size. */
    public static final int BLOCK_LENGTH = 64;

    private static final byte[] EMPTY = new byte[0];

    private static final ThreadLocal<Blake2s> PER_THREAD = ThreadLocal.withInitial(Blake2s::new);

    private final Blake2sDigest hash = new Blake2sDigest(256);
    private final byte[] pad = new byte[BLOCK_LENGTH];
    private final byte[] inner = new byte[HASH_LENGTH];
    private final byte[] t0 = new byte[HASH_LENGTH];
    private final byte[] t1 = new byte[HASH_LENGTH + 1];

    /** This thread's instance. */
    public static Blake2s get() {
        return PER_THREAD.get();
    }

    /** {@code out[0..32) = BLAKE2s-256(a || b)}; either input may be null. */
    public void hash(byte[] a, byte[] b, byte[] out) {
        hash.reset();
        if (a != null) {
            hash.update(a, 0, a.length);
        }
        if (b != null) {
            hash.update(b, 0, b.length);
        }
        hash.doFinal(out, 0);
    }

    /** {@code out[0..32) = BLAKE2s-256(a || b[bOff..bOff+bLen))}; {@code out} may alias {@code a}. */
    public void hash(byte[] a, byte[] b, int bOff, int bLen, byte[] out) {
        hash.reset();
        hash.update(a, 0, a.length);
        hash.update(b, bOff, bLen);
        hash.doFinal(out, 0);
    }

    /** {@code out[0..32) = BLAKE2s-256(in[off..off+len))}. */
    public void hash(byte[] in, int off, int len, byte[] out) {
        hash.reset();
        hash.update(in, off, len);
        hash.doFinal(out, 0);
    }

    /** {@code out = HMAC-BLAKE2s(key, in[off..off+len))} (RFC 2104 with a 64-byte block). */
    public void hmac(byte[] key, byte[] in, int off, int len, byte[] out) {
        // keys here are at most 32 bytes, never longer than the block
        java.util.Arrays.fill(pad, (byte) 0x36);
        for (int i = 0; i < key.length; i++) {
            pad[i] ^= key[i];
        }
        hash.reset();
        hash.update(pad, 0, BLOCK_LENGTH);
        hash.update(in, off, len);
        hash.doFinal(inner, 0);
        java.util.Arrays.fill(pad, (byte) 0x5c);
        for (int i = 0; i < key.length; i++) {
            pad[i] ^= key[i];
        }
        hash.reset();
        hash.update(pad, 0, BLOCK_LENGTH);
        hash.update(inner, 0, HASH_LENGTH);
        hash.doFinal(out, 0);
        java.util.Arrays.fill(pad, (byte) 0);
        java.util.Arrays.fill(inner, (byte) 0);
    }

    /**
     * {@code KDF_n(key, input)} from the whitepaper: {@code t0 = HMAC(key, input)},
     * {@code t1 = HMAC(t0, 0x1)}, {@code t_i = HMAC(t0, t_{i-1} || i)}. Writes {@code t1} to
     * {@code out1}, and {@code t2}, {@code t3} to {@code out2}, {@code out3} when they are not null.
     * The outputs may alias {@code key}.
     */
    public void kdf(byte[] key, byte[] in, int off, int len, byte[] out1, byte[] out2, byte[] out3) {
        if (key.length > BLOCK_LENGTH) {
            throw new IllegalArgumentException("HMAC key longer than a block");
        }
        hmac(key, in, off, len, t0);
        t1[0] = 1;
        hmac(t0, t1, 0, 1, out1);
        if (out2 != null) {
            System.arraycopy(out1, 0, t1, 0, HASH_LENGTH);
            t1[HASH_LENGTH] = 2;
            hmac(t0, t1, 0, HASH_LENGTH + 1, out2);
            if (out3 != null) {
                System.arraycopy(out2, 0, t1, 0, HASH_LENGTH);
                t1[HASH_LENGTH] = 3;
                hmac(t0, t1, 0, HASH_LENGTH + 1, out3);
            }
        }
        java.util.Arrays.fill(t0, (byte) 0);
        java.util.Arrays.fill(t1, (byte) 0);
    }

    /** {@code KDF_n(key, input)} over a whole input array. */
    public void kdf(byte[] key, byte[] in, byte[] out1, byte[] out2, byte[] out3) {
        byte[] input = in == null ? EMPTY : in;
        kdf(key, input, 0, input.length, out1, out2, out3);
    }

    /** {@code out[0..16) = MAC(key, in[off..off+len))}: keyed BLAKE2s with a 128-bit digest (not HMAC). */
    public static void mac(byte[] key, byte[] in, int off, int len, byte[] out, int outOff) {
        Blake2sDigest d = new Blake2sDigest(key, MAC_LENGTH, null, null);
        d.update(in, off, len);
        d.doFinal(out, outOff);
    }
}
