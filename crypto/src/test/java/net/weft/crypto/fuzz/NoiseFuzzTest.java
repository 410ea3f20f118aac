package net.weft.crypto.fuzz;

import static net.weft.crypto.fuzz.FuzzFixtures.INITIATOR;
import static net.weft.crypto.fuzz.FuzzFixtures.PSK;
import static net.weft.crypto.fuzz.FuzzFixtures.RESPONDER;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.noise.NoiseIKpsk2;
import net.weft.crypto.primitive.X25519;

/**
 * {@link NoiseIKpsk2#readMessageA} and {@link NoiseIKpsk2#readMessageB} called directly, with
 * payloads of any length (WireGuard only uses 12 and 0 bytes) and payload buffers of any size.
 */
class NoiseFuzzTest {

    private static final int MAX_PAYLOAD = 48;
    private static final byte[] INITIATOR_EPHEMERAL = new byte[NoiseIKpsk2.KEY_LENGTH];
    private static final byte[] RESPONDER_EPHEMERAL = new byte[NoiseIKpsk2.KEY_LENGTH];
    /** The initiator after writing message A with an empty payload. */
    private static final NoiseIKpsk2 INITIATOR_AFTER_A;
    /** The responder after reading that message A. */
    private static final NoiseIKpsk2 RESPONDER_AFTER_A;

    static {
        X25519.generatePrivateKey(new FuzzFixtures.SeededRandom(40), INITIATOR_EPHEMERAL);
        X25519.generatePrivateKey(new FuzzFixtures.SeededRandom(41), RESPONDER_EPHEMERAL);
        INITIATOR_AFTER_A = NoiseIKpsk2.wireGuard();
        byte[] a = new byte[NoiseIKpsk2.MESSAGE_A_OVERHEAD];
        INITIATOR_AFTER_A.writeMessageA(INITIATOR.privateKey(), RESPONDER.publicKey(), INITIATOR_EPHEMERAL, new byte[0], 0, 0, a, 0);
        RESPONDER_AFTER_A = NoiseIKpsk2.wireGuard();
        if (RESPONDER_AFTER_A.readMessageA(RESPONDER.privateKey(), a, 0, a.length, new byte[0]) != 0) {
            throw new IllegalStateException("fuzz fixture: readMessageA refused a valid message");
        }
    }

    /**
     * Message A with a fuzzer-chosen payload, mutated, or any bytes: never throws; answers -1 or
     * the payload length {@code len - 96}. A real message is accepted exactly when it is
     * untouched and the payload fits; then the payload and the initiator's key come out.
     */
    @FuzzTest(maxDuration = "30s")
    void readMessageA(FuzzedDataProvider data) {
        byte[] payloadOut = new byte[data.consumeInt(0, MAX_PAYLOAD + 16)];
        boolean raw = data.consumeBoolean();
        byte[] original = null;
        byte[] payload = null;
        byte[] in;
        int off;
        int len;
        if (raw) {
            off = data.consumeInt(0, 16);
            int lenHint = data.consumeInt();
            in = data.consumeRemainingAsBytes();
            len = FuzzFixtures.lengthWithin(lenHint, in.length, off);
        } else {
            payload = data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD));
            original = new byte[NoiseIKpsk2.MESSAGE_A_OVERHEAD + payload.length];
            NoiseIKpsk2.wireGuard().writeMessageA(INITIATOR.privateKey(), RESPONDER.publicKey(), INITIATOR_EPHEMERAL,
                    payload, 0, payload.length, original, 0);
            in = original.clone();
            FuzzFixtures.mutate(data, in, 0, in.length);
            off = 0;
            len = in.length;
        }
        NoiseIKpsk2 responder = NoiseIKpsk2.wireGuard();

        int n = responder.readMessageA(RESPONDER.privateKey(), in, off, len, payloadOut);

        if (n != -1 && n != len - NoiseIKpsk2.MESSAGE_A_OVERHEAD) {
            throw new AssertionError("readMessageA answered " + n + " for a " + len + "-byte message");
        }
        if (!raw) {
            boolean intact = Arrays.equals(in, original) && payloadOut.length >= payload.length;
            if ((n >= 0) != intact) {
                throw new AssertionError(intact ? "an untouched message A was refused" : "a changed message A was accepted");
            }
        }
        if (n < 0) {
            return;
        }
        if (!INITIATOR.publicKey().equals(responder.remoteStatic())) {
            throw new AssertionError("message A accepted from " + responder.remoteStatic());
        }
        if (payload != null && !Arrays.equals(payloadOut, 0, n, payload, 0, payload.length)) {
            throw new AssertionError("message A payload came out changed");
        }
    }

    /**
     * Message B answering our message A, with a fuzzer-chosen payload and preshared key, mutated,
     * or any bytes: never throws; answers -1 or {@code len - 48}. A real answer is accepted exactly
     * when it is untouched, both sides used the same preshared key and the payload fits; then both
     * sides hold the same handshake hash and transport keys.
     */
    @FuzzTest(maxDuration = "30s")
    void readMessageB(FuzzedDataProvider data) {
        byte[] payloadOut = new byte[data.consumeInt(0, MAX_PAYLOAD + 16)];
        PresharedKey readerPsk = data.consumeBoolean() ? PSK : PresharedKey.none();
        boolean raw = data.consumeBoolean();
        NoiseIKpsk2 responder = null;
        byte[] original = null;
        byte[] payload = null;
        byte[] in;
        int off;
        int len;
        if (raw) {
            off = data.consumeInt(0, 16);
            int lenHint = data.consumeInt();
            in = data.consumeRemainingAsBytes();
            len = FuzzFixtures.lengthWithin(lenHint, in.length, off);
        } else {
            PresharedKey writerPsk = data.consumeBoolean() ? PSK : PresharedKey.none();
            payload = data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD));
            original = new byte[NoiseIKpsk2.MESSAGE_B_OVERHEAD + payload.length];
            responder = RESPONDER_AFTER_A.copy();
            responder.writeMessageB(RESPONDER_EPHEMERAL, writerPsk, payload, 0, payload.length, original, 0);
            in = original.clone();
            FuzzFixtures.mutate(data, in, 0, in.length);
            off = 0;
            len = in.length;
            if (!writerPsk.equals(readerPsk)) {
                payload = null; // marks "must be refused"
            }
        }
        NoiseIKpsk2 initiator = INITIATOR_AFTER_A.copy();

        int n = initiator.readMessageB(INITIATOR.privateKey(), readerPsk, in, off, len, payloadOut);

        if (n != -1 && n != len - NoiseIKpsk2.MESSAGE_B_OVERHEAD) {
            throw new AssertionError("readMessageB answered " + n + " for a " + len + "-byte message");
        }
        if (!raw) {
            boolean intact = payload != null && Arrays.equals(in, original) && payloadOut.length >= payload.length;
            if ((n >= 0) != intact) {
                throw new AssertionError(intact ? "an untouched message B was refused" : "a changed message B was accepted");
            }
        }
        if (n < 0 || responder == null) {
            return;
        }
        if (!Arrays.equals(payloadOut, 0, n, payload, 0, payload.length)) {
            throw new AssertionError("message B payload came out changed");
        }
        if (!Arrays.equals(initiator.handshakeHash(), responder.handshakeHash())) {
            throw new AssertionError("handshake hashes differ after an accepted message B");
        }
        byte[][] keys = new byte[4][NoiseIKpsk2.KEY_LENGTH];
        initiator.split(keys[0], keys[1]);
        responder.split(keys[2], keys[3]);
        if (!Arrays.equals(keys[0], keys[2]) || !Arrays.equals(keys[1], keys[3])) {
            throw new AssertionError("transport keys differ after an accepted message B");
        }
    }
}
