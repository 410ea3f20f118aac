package net.weft.crypto.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.weft.crypto.Clock;
import net.weft.crypto.cookie.CookieGenerator;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.noise.LocalIdentity;

/**
 * Deterministic keys, clock, randomness and valid messages for the fuzz targets. Everything here is
 * built the same way on every run so that a crashing input reproduces: the initiator's ephemeral key
 * comes from a seeded generator, the clock stands still.
 */
final class FuzzFixtures {

    static final int INITIATOR_INDEX = 0x11223344;
    static final int RESPONDER_INDEX = 0x55667788;

    static final Clock CLOCK = new FixedClock(1_000_000_000_000L, Instant.parse("2025-06-01T12:00:00Z"));

    static final LocalIdentity INITIATOR = LocalIdentity.of(PrivateKey.generate(new SeededRandom(1)));
    static final LocalIdentity RESPONDER = LocalIdentity.of(PrivateKey.generate(new SeededRandom(2)));
    static final PresharedKey PSK = PresharedKey.generate(new SeededRandom(3));

    /** A valid initiation from {@link #INITIATOR} to {@link #RESPONDER}, mac1 set, mac2 zero. */
    private static final byte[] INITIATION;
    /** The responder's valid answer to {@link #INITIATION}, mac1 set, mac2 zero. */
    private static final byte[] RESPONSE;
    /** The responder's keypair from that handshake (receives what the initiator's keypair seals). */
    static final Keypair RESPONDER_KEYPAIR;
    /** The initiator's keypair from that handshake. */
    static final Keypair INITIATOR_KEYPAIR;

    static {
        Handshake initiator = newInitiator();
        INITIATION = new byte[Messages.INITIATION_SIZE];
        check(initiator.createInitiation(INITIATOR_INDEX, INITIATION, 0), "createInitiation");
        new CookieGenerator(RESPONDER.publicKey(), CLOCK).addMacs(INITIATION, 0, INITIATION.length);

        Handshake responder = newResponderPeer();
        check(Handshake.consumeInitiation(RESPONDER, INITIATION, 0, k -> responder) == responder, "consumeInitiation");
        RESPONSE = new byte[Messages.RESPONSE_SIZE];
        check(responder.createResponse(RESPONDER_INDEX, RESPONSE, 0), "createResponse");
        new CookieGenerator(INITIATOR.publicKey(), CLOCK).addMacs(RESPONSE, 0, RESPONSE.length);
        RESPONDER_KEYPAIR = responder.deriveKeypair();

        check(initiator.consumeResponse(RESPONSE, 0), "consumeResponse");
        INITIATOR_KEYPAIR = initiator.deriveKeypair();
        check(RESPONDER_KEYPAIR != null && INITIATOR_KEYPAIR != null, "deriveKeypair");
    }

    private FuzzFixtures() {
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("fuzz fixture: " + what + " failed on valid input");
        }
    }

    /**
     * The initiator's handshake with the responder, nothing in flight. Every instance draws the
     * same ephemeral key, so {@code createInitiation(INITIATOR_INDEX, ...)} writes the same bytes
     * as {@link #initiation()} (before macs) and {@link #response()} answers it.
     */
    static Handshake newInitiator() {
        return new Handshake(INITIATOR, RESPONDER.publicKey(), PSK, CLOCK, new SeededRandom(10));
    }

    /** The responder's handshake for the initiator, fresh: no timestamp seen, no flood history. */
    static Handshake newResponderPeer() {
        return new Handshake(RESPONDER, INITIATOR.publicKey(), PSK, CLOCK, new SeededRandom(20));
    }

    static byte[] initiation() {
        return INITIATION.clone();
    }

    static byte[] response() {
        return RESPONSE.clone();
    }

    /**
     * Applies up to 8 fuzzer-chosen byte changes to {@code msg[from..to)}: each either XORs a
     * non-zero value into one byte or overwrites it (possibly with the same value). Callers compare
     * with the original to learn what changed.
     */
    static void mutate(FuzzedDataProvider data, byte[] msg, int from, int to) {
        if (to <= from) {
            return;
        }
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            int at = data.consumeInt(from, to - 1);
            byte v = data.consumeByte();
            if (data.consumeBoolean()) {
                msg[at] = v;
            } else {
                msg[at] ^= v == 0 ? 1 : v;
            }
        }
    }

    /** A length in {@code [0, size - off]} chosen by {@code hint} (0 when {@code off} is past the end). */
    static int lengthWithin(int hint, int size, int off) {
        return Math.floorMod(hint, Math.max(1, size - Math.min(off, size) + 1));
    }

    /** {@code a[from..to) == b[from..to)}. */
    static boolean sameRange(byte[] a, byte[] b, int from, int to) {
        return Arrays.equals(a, from, to, b, from, to);
    }

    /** A clock that never moves. */
    private record FixedClock(long nanoTime, Instant now) implements Clock {
    }

    /** A {@link SecureRandom} that repeats itself for a given seed: fixtures only, never keys in use. */
    static final class SeededRandom extends SecureRandom {

        private final SplittableRandom random;

        SeededRandom(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void nextBytes(byte[] bytes) {
            random.nextBytes(bytes);
        }

        @Override
        public void setSeed(long seed) {
            // the JDK constructor calls this before our field is set; the seed is fixed anyway
        }
    }
}
