package net.weft.crypto.fuzz;

import static net.weft.crypto.fuzz.FuzzFixtures.INITIATOR;
import static net.weft.crypto.fuzz.FuzzFixtures.INITIATOR_INDEX;
import static net.weft.crypto.fuzz.FuzzFixtures.RESPONDER;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.primitive.ChaChaPoly;

/**
 * {@link Handshake#consumeInitiation} and {@link Handshake#consumeResponse} with a real responder
 * identity and a real initiation in flight: what an attacker on the path can send.
 */
class HandshakeFuzzTest {

    /** The initiator with our initiation in flight; replaced after it accepts a response. */
    private Handshake initiator = inFlightInitiator();

    /**
     * Any bytes at any offset, of any length or exactly 148 bytes: never throws. Nobody forges an
     * initiation without the initiator's key: one is accepted only if the fuzzer rebuilt the Noise
     * part of a real one. A refused initiation leaves the peer untouched.
     */
    @FuzzTest(maxDuration = "30s")
    void consumeInitiation(FuzzedDataProvider data) {
        boolean exact = data.consumeBoolean();
        int off = data.consumeInt(0, 16);
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] msg = new byte[off + (exact ? Messages.INITIATION_SIZE : bytes.length)];
        System.arraycopy(bytes, 0, msg, off, Math.min(bytes.length, msg.length - off));
        Handshake peer = FuzzFixtures.newResponderPeer();

        Handshake accepted = Handshake.consumeInitiation(RESPONDER, msg, off, k -> k.equals(INITIATOR.publicKey()) ? peer : null);

        byte[] original = FuzzFixtures.initiation();
        boolean intact = msg.length - off >= Messages.INITIATION_SIZE
                && Arrays.equals(msg, off + Messages.INITIATION_EPHEMERAL, off + Messages.INITIATION_MAC1,
                original, Messages.INITIATION_EPHEMERAL, Messages.INITIATION_MAC1);
        if ((accepted != null) != intact) {
            throw new AssertionError(intact ? "a real initiation was refused" : "an initiation nobody made was accepted");
        }
        if (accepted == null && peer.state() != Handshake.State.ZEROED) {
            throw new AssertionError("a refused initiation changed the peer's handshake: " + peer.state());
        }
    }

    /**
     * A valid initiation with fuzzer-chosen bytes changed: never throws, and it is accepted exactly
     * when the Noise part (ephemeral, encrypted static and timestamp) is untouched; then the peer
     * owes a response to the sender index the message carries.
     */
    @FuzzTest(maxDuration = "30s")
    void consumeInitiationMutated(FuzzedDataProvider data) {
        byte[] original = FuzzFixtures.initiation();
        byte[] msg = original.clone();
        FuzzFixtures.mutate(data, msg, 0, msg.length);
        Handshake peer = FuzzFixtures.newResponderPeer();

        Handshake accepted = Handshake.consumeInitiation(RESPONDER, msg, 0, k -> k.equals(INITIATOR.publicKey()) ? peer : null);

        boolean intact = FuzzFixtures.sameRange(msg, original, Messages.INITIATION_EPHEMERAL, Messages.INITIATION_MAC1);
        if (accepted == null) {
            if (intact) {
                throw new AssertionError("an initiation with its Noise part intact was refused");
            }
            if (peer.state() != Handshake.State.ZEROED) {
                throw new AssertionError("a refused initiation changed the peer's handshake: " + peer.state());
            }
            return;
        }
        if (!intact) {
            throw new AssertionError("an initiation with a changed Noise part was accepted");
        }
        if (accepted != peer || peer.state() != Handshake.State.INITIATION_CONSUMED
                || peer.remoteIndex() != Messages.readInt(msg, Messages.INITIATION_SENDER)) {
            throw new AssertionError("accepted initiation left " + peer + " remote index " + peer.remoteIndex());
        }
        // the same initiation again is a replay (same timestamp) and must be refused
        if (Handshake.consumeInitiation(RESPONDER, msg, 0, k -> peer) != null) {
            throw new AssertionError("a replayed initiation was accepted");
        }
    }

    /**
     * The responder's answer to our in-flight initiation, mutated or replaced by any bytes at any
     * offset: never throws; accepted exactly when it names our index and its Noise part is
     * untouched; a refused response changes nothing, an accepted one yields the keys the
     * responder holds.
     */
    @FuzzTest(maxDuration = "30s")
    void consumeResponse(FuzzedDataProvider data) {
        byte[] original = FuzzFixtures.response();
        boolean raw = data.consumeBoolean();
        byte[] msg;
        int off;
        if (raw) {
            off = data.consumeInt(0, 16);
            byte[] bytes = data.consumeRemainingAsBytes();
            msg = new byte[off + bytes.length];
            System.arraycopy(bytes, 0, msg, off, bytes.length);
        } else {
            off = 0;
            msg = original.clone();
            FuzzFixtures.mutate(data, msg, 0, msg.length);
        }

        boolean accepted = initiator.consumeResponse(msg, off);

        boolean intact = msg.length - off >= Messages.RESPONSE_SIZE
                && Messages.readInt(msg, off + Messages.RESPONSE_RECEIVER) == INITIATOR_INDEX
                && Arrays.equals(msg, off + Messages.RESPONSE_EPHEMERAL, off + Messages.RESPONSE_MAC1,
                original, Messages.RESPONSE_EPHEMERAL, Messages.RESPONSE_MAC1);
        if (accepted != intact) {
            throw new AssertionError(intact ? "a response with our index and its Noise part intact was refused"
                    : "a response with a changed index or Noise part was accepted");
        }
        if (!accepted) {
            if (initiator.state() != Handshake.State.INITIATION_CREATED) {
                throw new AssertionError("a refused response changed the handshake: " + initiator.state());
            }
            return;
        }
        if (initiator.remoteIndex() != Messages.readInt(msg, off + Messages.RESPONSE_SENDER)) {
            throw new AssertionError("remote index " + initiator.remoteIndex() + " is not the message's sender index");
        }
        Keypair keypair = initiator.deriveKeypair();
        byte[] packet = new byte[Messages.TRANSPORT_HEADER_SIZE + 16 + Messages.TAG_SIZE];
        int n = keypair.seal(ChaChaPoly.get(), 0, packet, 0, 16, 16);
        if (FuzzFixtures.RESPONDER_KEYPAIR.open(ChaChaPoly.get(), packet, 0, n) != 16) {
            throw new AssertionError("the keys from an accepted response do not match the responder's");
        }
        initiator = inFlightInitiator();
    }

    private static Handshake inFlightInitiator() {
        Handshake h = FuzzFixtures.newInitiator();
        byte[] msg = new byte[Messages.INITIATION_SIZE];
        h.createInitiation(INITIATOR_INDEX, msg, 0);
        byte[] expected = FuzzFixtures.initiation();
        if (!Arrays.equals(msg, 0, Messages.INITIATION_MAC1, expected, 0, Messages.INITIATION_MAC1)) {
            throw new IllegalStateException("the fixture initiator no longer makes the same initiation");
        }
        return h;
    }
}
