package net.weft.crypto.fuzz;

import static net.weft.crypto.fuzz.FuzzFixtures.INITIATOR_KEYPAIR;
import static net.weft.crypto.fuzz.FuzzFixtures.RESPONDER_KEYPAIR;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.primitive.ChaChaPoly;

/** {@link Keypair#open} and {@link Keypair#acceptCounter} with the keys of a real handshake. */
class KeypairFuzzTest {

    private static final int MAX_PAYLOAD = 96;

    /**
     * A transport message the initiator sealed (fuzzer-chosen counter, payload and offset),
     * mutated, or any bytes: never throws. It opens exactly when everything after the receiver
     * index is untouched, and gives back the padded payload; its counter, once accepted, is
     * refused the next time.
     */
    @FuzzTest(maxDuration = "30s")
    void open(FuzzedDataProvider data) {
        ChaChaPoly aead = ChaChaPoly.get();
        int off = data.consumeInt(0, 16);
        boolean raw = data.consumeBoolean();
        byte[] buf;
        byte[] original = null;
        byte[] plain = null;
        int len;
        if (raw) {
            int lenHint = data.consumeInt();
            byte[] bytes = data.consumeRemainingAsBytes();
            buf = new byte[off + bytes.length];
            System.arraycopy(bytes, 0, buf, off, bytes.length);
            len = FuzzFixtures.lengthWithin(lenHint, buf.length, off);
        } else {
            long counter = data.consumeBoolean() ? data.consumeLong() : data.consumeLong(0, 1 << 16);
            plain = data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD));
            int padded = Messages.paddedLength(plain.length, 0);
            buf = new byte[off + Messages.TRANSPORT_HEADER_SIZE + padded + Messages.TAG_SIZE + data.consumeInt(0, 16)];
            System.arraycopy(plain, 0, buf, off + Messages.TRANSPORT_PAYLOAD, plain.length);
            len = INITIATOR_KEYPAIR.seal(aead, counter, buf, off, plain.length, padded);
            original = Arrays.copyOfRange(buf, off, off + len);
            plain = Arrays.copyOf(plain, padded);
            FuzzFixtures.mutate(data, buf, off, off + len);
        }

        boolean intact = original != null && Arrays.equals(buf, off + Messages.TRANSPORT_COUNTER, off + len,
                original, Messages.TRANSPORT_COUNTER, len);
        long counter = len >= Messages.TRANSPORT_HEADER_SIZE ? Messages.readLong(buf, off + Messages.TRANSPORT_COUNTER) : 0;

        int n = RESPONDER_KEYPAIR.open(aead, buf, off, len);

        if (n != -1 && n != len - Messages.TRANSPORT_MIN_SIZE) {
            throw new AssertionError("open answered " + n + " for a " + len + "-byte message");
        }
        if (original != null && (n >= 0) != intact) {
            throw new AssertionError(intact ? "an untouched transport message did not open" : "a changed transport message opened");
        }
        if (n < 0) {
            return;
        }
        if (plain != null && !Arrays.equals(buf, off + Messages.TRANSPORT_PAYLOAD, off + Messages.TRANSPORT_PAYLOAD + n, plain, 0, n)) {
            throw new AssertionError("the payload came out changed");
        }
        if (RESPONDER_KEYPAIR.acceptCounter(counter) && RESPONDER_KEYPAIR.acceptCounter(counter)) {
            throw new AssertionError("counter " + Long.toUnsignedString(counter) + " accepted twice");
        }
    }
}
