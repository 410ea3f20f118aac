package net.weft.crypto.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.weft.crypto.Protocol;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.primitive.Blake2s;
import net.weft.crypto.primitive.ChaChaPoly;
import net.weft.crypto.primitive.InvalidSharedSecretException;
import net.weft.crypto.primitive.SymmetricKey;
import net.weft.crypto.primitive.X25519;

/**
 * The symmetric state of one {@code Noise_IKpsk2} handshake and its two messages, in Noise's own
 * wire format ({@code e, es, s, ss, payload} then {@code e, ee, se, psk, payload}), without
 * WireGuard's framing. With the prologue set to {@link Protocol#IDENTIFIER}, a 12-byte TAI64N
 * payload in the first message and an empty one in the second, this is exactly WireGuard's
 * handshake (whitepaper section 5.4.2-5.4.4).
 *
 * <p>Single-use and not thread-safe. A read that fails leaves the state unusable; callers that
 * must survive a bad message work on a {@link #copy()}.
 */
public final class NoiseIKpsk2 {

    public static final int KEY_LENGTH = 32;
    /** Length of message A for a payload of {@code n} bytes: {@code 32 + 48 + n + 16}. */
    public static final int MESSAGE_A_OVERHEAD = 32 + 32 + 16 + 16;
    /** Length of message B for a payload of {@code n} bytes: {@code 32 + n + 16}. */
    public static final int MESSAGE_B_OVERHEAD = 32 + 16;

    private static final byte[] INITIAL_CHAIN_KEY = new byte[KEY_LENGTH];
    private static final byte[] WIREGUARD_INITIAL_HASH = new byte[KEY_LENGTH];

    static {
        Blake2s b = new Blake2s();
        b.hash(Protocol.CONSTRUCTION.getBytes(StandardCharsets.US_ASCII), null, INITIAL_CHAIN_KEY);
        b.hash(INITIAL_CHAIN_KEY, Protocol.IDENTIFIER.getBytes(StandardCharsets.US_ASCII), WIREGUARD_INITIAL_HASH);
    }

    private final byte[] chainKey = new byte[KEY_LENGTH];
    private final byte[] hash = new byte[KEY_LENGTH];
    private final byte[] key = new byte[KEY_LENGTH];
    private final byte[] dh = new byte[KEY_LENGTH];
    private final byte[] localEphemeral = new byte[KEY_LENGTH];
    private final byte[] remoteEphemeral = new byte[KEY_LENGTH];
    private PublicKey remoteStatic;

    private NoiseIKpsk2() {
    }

    /** A handshake with WireGuard's prologue. */
    public static NoiseIKpsk2 wireGuard() {
        NoiseIKpsk2 n = new NoiseIKpsk2();
        System.arraycopy(INITIAL_CHAIN_KEY, 0, n.chainKey, 0, KEY_LENGTH);
        System.arraycopy(WIREGUARD_INITIAL_HASH, 0, n.hash, 0, KEY_LENGTH);
        return n;
    }

    /** A handshake with any prologue (for the Noise test vectors). */
    public static NoiseIKpsk2 withPrologue(byte[] prologue) {
        NoiseIKpsk2 n = new NoiseIKpsk2();
        System.arraycopy(INITIAL_CHAIN_KEY, 0, n.chainKey, 0, KEY_LENGTH);
        Blake2s.get().hash(INITIAL_CHAIN_KEY, prologue, n.hash);
        return n;
    }

    /** An independent copy of this state. */
    public NoiseIKpsk2 copy() {
        NoiseIKpsk2 n = new NoiseIKpsk2();
        System.arraycopy(chainKey, 0, n.chainKey, 0, KEY_LENGTH);
        System.arraycopy(hash, 0, n.hash, 0, KEY_LENGTH);
        System.arraycopy(localEphemeral, 0, n.localEphemeral, 0, KEY_LENGTH);
        System.arraycopy(remoteEphemeral, 0, n.remoteEphemeral, 0, KEY_LENGTH);
        n.remoteStatic = remoteStatic;
        return n;
    }

    /** The initiator's static key, known to the responder after {@link #readMessageA}. */
    public PublicKey remoteStatic() {
        return remoteStatic;
    }

    /** The handshake hash {@code h}, for channel binding and the test vectors. */
    public byte[] handshakeHash() {
        return hash.clone();
    }

    // ---- initiator ----------------------------------------------------------------------------

    /**
     * Writes message A ({@code e, es, s, ss, payload}) to {@code out[off..)} and returns its length,
     * {@code payloadLength + 96}.
     *
     * @param ephemeralPrivate the initiator's ephemeral private key for this handshake
     * @throws InvalidSharedSecretException when {@code remoteStatic} is a low-order point
     */
    public int writeMessageA(PrivateKey localStatic, PublicKey remoteStatic, byte[] ephemeralPrivate,
                             byte[] payload, int payloadOff, int payloadLength, byte[] out, int off) {
        this.remoteStatic = remoteStatic;
        Blake2s b = Blake2s.get();
        byte[] rs = remoteStatic.toBytes();
        mixHash(b, rs, 0, KEY_LENGTH);
        // e
        System.arraycopy(ephemeralPrivate, 0, localEphemeral, 0, KEY_LENGTH);
        X25519.publicKey(localEphemeral, dh);
        System.arraycopy(dh, 0, out, off, KEY_LENGTH);
        mixHash(b, out, off, KEY_LENGTH);
        b.kdf(chainKey, out, off, KEY_LENGTH, chainKey, null, null);
        // es
        X25519.sharedSecret(localEphemeral, rs, dh);
        b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, key, null);
        // s
        byte[] s = localStatic.publicKey().toBytes();
        int n = encryptAndHash(b, s, 0, KEY_LENGTH, out, off + KEY_LENGTH);
        // ss
        localStatic.sharedSecret(remoteStatic, dh);
        b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, key, null);
        // payload
        n += encryptAndHash(b, payload, payloadOff, payloadLength, out, off + KEY_LENGTH + n);
        Arrays.fill(dh, (byte) 0);
        return KEY_LENGTH + n;
    }

    /**
     * Reads message B ({@code e, ee, se, psk, payload}) from {@code in[off..off+len)} and writes
     * the payload to {@code payloadOut}. Returns the payload length, or {@code -1} when the
     * message does not authenticate or is malformed.
     */
    public int readMessageB(PrivateKey localStatic, PresharedKey psk, byte[] in, int off, int len, byte[] payloadOut) {
        if (len < MESSAGE_B_OVERHEAD || payloadOut.length < len - MESSAGE_B_OVERHEAD) {
            return -1;
        }
        Blake2s b = Blake2s.get();
        try {
            // e
            System.arraycopy(in, off, remoteEphemeral, 0, KEY_LENGTH);
            mixHash(b, remoteEphemeral, 0, KEY_LENGTH);
            b.kdf(chainKey, remoteEphemeral, 0, KEY_LENGTH, chainKey, null, null);
            // ee
            X25519.sharedSecret(localEphemeral, remoteEphemeral, dh);
            b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, null, null);
            // se
            localStatic.sharedSecret(PublicKey.fromBytes(remoteEphemeral), dh);
            b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, null, null);
            // psk
            mixKeyAndHash(b, psk);
            // payload
            return decryptAndHash(b, in, off + KEY_LENGTH, len - KEY_LENGTH, payloadOut, 0);
        } catch (InvalidSharedSecretException e) {
            return -1;
        } finally {
            Arrays.fill(dh, (byte) 0);
        }
    }

    // ---- responder ----------------------------------------------------------------------------

    /**
     * Reads message A from {@code in[off..off+len)}, learns the initiator's static key
     * ({@link #remoteStatic()}) and writes the payload to {@code payloadOut}. Returns the payload
     * length, or {@code -1} when the message does not authenticate or is malformed.
     */
    public int readMessageA(PrivateKey localStatic, byte[] in, int off, int len, byte[] payloadOut) {
        if (len < MESSAGE_A_OVERHEAD || payloadOut.length < len - MESSAGE_A_OVERHEAD) {
            return -1;
        }
        Blake2s b = Blake2s.get();
        try {
            byte[] s = localStatic.publicKey().toBytes();
            mixHash(b, s, 0, KEY_LENGTH);
            // e
            System.arraycopy(in, off, remoteEphemeral, 0, KEY_LENGTH);
            mixHash(b, remoteEphemeral, 0, KEY_LENGTH);
            b.kdf(chainKey, remoteEphemeral, 0, KEY_LENGTH, chainKey, null, null);
            // es
            localStatic.sharedSecret(PublicKey.fromBytes(remoteEphemeral), dh);
            b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, key, null);
            // s
            byte[] rs = new byte[KEY_LENGTH];
            if (decryptAndHash(b, in, off + KEY_LENGTH, KEY_LENGTH + ChaChaPoly.TAG_LENGTH, rs, 0) != KEY_LENGTH) {
                return -1;
            }
            remoteStatic = PublicKey.fromBytes(rs);
            // ss
            localStatic.sharedSecret(remoteStatic, dh);
            b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, key, null);
            // payload
            int at = KEY_LENGTH + KEY_LENGTH + ChaChaPoly.TAG_LENGTH;
            return decryptAndHash(b, in, off + at, len - at, payloadOut, 0);
        } catch (InvalidSharedSecretException e) {
            return -1;
        } finally {
            Arrays.fill(dh, (byte) 0);
        }
    }

    /**
     * Writes message B ({@code e, ee, se, psk, payload}) to {@code out[off..)} and returns its
     * length, {@code payloadLength + 48}.
     *
     * @throws InvalidSharedSecretException when the initiator's keys are low-order points
     */
    public int writeMessageB(byte[] ephemeralPrivate, PresharedKey psk,
                             byte[] payload, int payloadOff, int payloadLength, byte[] out, int off) {
        Blake2s b = Blake2s.get();
        // e
        System.arraycopy(ephemeralPrivate, 0, localEphemeral, 0, KEY_LENGTH);
        X25519.publicKey(localEphemeral, dh);
        System.arraycopy(dh, 0, out, off, KEY_LENGTH);
        mixHash(b, out, off, KEY_LENGTH);
        b.kdf(chainKey, out, off, KEY_LENGTH, chainKey, null, null);
        // ee
        X25519.sharedSecret(localEphemeral, remoteEphemeral, dh);
        b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, null, null);
        // se
        X25519.sharedSecret(localEphemeral, remoteStatic.toBytes(), dh);
        b.kdf(chainKey, dh, 0, KEY_LENGTH, chainKey, null, null);
        // psk
        mixKeyAndHash(b, psk);
        // payload
        int n = encryptAndHash(b, payload, payloadOff, payloadLength, out, off + KEY_LENGTH);
        Arrays.fill(dh, (byte) 0);
        return KEY_LENGTH + n;
    }

    // ---- after the handshake --------------------------------------------------------------------

    /**
     * Noise's {@code Split()}: writes the initiator-to-responder key to {@code first} and the
     * responder-to-initiator key to {@code second}, then erases the handshake secrets.
     */
    public void split(byte[] first, byte[] second) {
        Blake2s.get().kdf(chainKey, null, first, second, null);
        destroy();
    }

    /** Zeroes every secret this state holds. */
    public void destroy() {
        Arrays.fill(chainKey, (byte) 0);
        Arrays.fill(key, (byte) 0);
        Arrays.fill(dh, (byte) 0);
        Arrays.fill(localEphemeral, (byte) 0);
    }

    // ---- symmetric state --------------------------------------------------------------------------

    private void mixHash(Blake2s b, byte[] data, int off, int len) {
        b.hash(hash, data, off, len, hash);
    }

    private void mixKeyAndHash(Blake2s b, PresharedKey psk) {
        byte[] tau = new byte[KEY_LENGTH];
        b.kdf(chainKey, psk.toBytes(), chainKey, tau, key);
        b.hash(hash, tau, hash);
        Arrays.fill(tau, (byte) 0);
    }

    private int encryptAndHash(Blake2s b, byte[] plain, int off, int len, byte[] out, int outOff) {
        SymmetricKey k = new SymmetricKey(key);
        try {
            int n = ChaChaPoly.get().seal(k, 0, hash, plain, off, len, out, outOff);
            mixHash(b, out, outOff, n);
            return n;
        } finally {
            k.destroy();
        }
    }

    private int decryptAndHash(Blake2s b, byte[] in, int off, int len, byte[] out, int outOff) {
        SymmetricKey k = new SymmetricKey(key);
        try {
            int n = ChaChaPoly.get().open(k, 0, hash, in, off, len, out, outOff);
            if (n >= 0) {
                mixHash(b, in, off, len);
            }
            return n;
        } finally {
            k.destroy();
        }
    }
}
