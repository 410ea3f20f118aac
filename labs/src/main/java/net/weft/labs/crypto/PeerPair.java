package net.weft.labs.crypto;

import java.security.SecureRandom;
import java.time.Instant;
import net.weft.crypto.Clock;
import net.weft.crypto.cookie.CookieChecker;
import net.weft.crypto.cookie.CookieGenerator;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.noise.LocalIdentity;

/**
 * Two peers in one JVM, each holding the other's {@link Handshake}, and a full handshake between
 * them done the way the device does it: initiation with mac1, mac1 check, consume, response with
 * mac1, mac1 check, consume, and both keypairs derived.
 *
 * <p>The peers share a {@link SteppingClock}: every initiation is one second newer than the last,
 * so the responder's timestamp and flood checks pass however fast handshakes are repeated.
 */
final class PeerPair {

    /** Both ends of one handshake. */
    record Keypairs(Keypair initiator, Keypair responder) {
    }

    private final SteppingClock clock = new SteppingClock();
    private final LocalIdentity initiatorIdentity;
    private final LocalIdentity responderIdentity;
    private final Handshake initiator;
    private final Handshake responder;
    /** The initiator's mac1 for the responder, and the responder's check of it; and the reverse. */
    private final CookieGenerator initiatorMacs;
    private final CookieChecker responderChecker;
    private final CookieGenerator responderMacs;
    private final CookieChecker initiatorChecker;
    private final byte[] initiation = new byte[Messages.INITIATION_SIZE];
    private final byte[] response = new byte[Messages.RESPONSE_SIZE];
    private int nextIndex = 1;

    PeerPair(SecureRandom random) {
        initiatorIdentity = LocalIdentity.of(PrivateKey.generate(random));
        responderIdentity = LocalIdentity.of(PrivateKey.generate(random));
        initiator = new Handshake(initiatorIdentity, responderIdentity.publicKey(), PresharedKey.none(), clock, random);
        responder = new Handshake(responderIdentity, initiatorIdentity.publicKey(), PresharedKey.none(), clock, random);
        initiatorMacs = new CookieGenerator(responderIdentity.publicKey(), clock);
        responderChecker = new CookieChecker(responderIdentity.publicKey(), clock, random);
        responderMacs = new CookieGenerator(initiatorIdentity.publicKey(), clock);
        initiatorChecker = new CookieChecker(initiatorIdentity.publicKey(), clock, random);
    }

    /** One full handshake; throws when any step fails, so a benchmark cannot time a rejection. */
    Keypairs handshake() {
        if (!initiator.createInitiation(nextIndex++, initiation, 0)) {
            throw new IllegalStateException("createInitiation failed");
        }
        initiatorMacs.addMacs(initiation, 0, Messages.INITIATION_SIZE);

        if (!responderChecker.checkMac1(initiation, 0, Messages.INITIATION_SIZE)) {
            throw new IllegalStateException("initiation mac1 rejected");
        }
        Handshake peer = Handshake.consumeInitiation(responderIdentity, initiation, 0,
                key -> key.equals(initiatorIdentity.publicKey()) ? responder : null);
        if (peer != responder) {
            throw new IllegalStateException("consumeInitiation failed");
        }
        if (!responder.createResponse(nextIndex++, response, 0)) {
            throw new IllegalStateException("createResponse failed");
        }
        responderMacs.addMacs(response, 0, Messages.RESPONSE_SIZE);

        if (!initiatorChecker.checkMac1(response, 0, Messages.RESPONSE_SIZE)) {
            throw new IllegalStateException("response mac1 rejected");
        }
        if (!initiator.consumeResponse(response, 0)) {
            throw new IllegalStateException("consumeResponse failed");
        }
        Keypair i = initiator.deriveKeypair();
        Keypair r = responder.deriveKeypair();
        if (i == null || r == null) {
            throw new IllegalStateException("deriveKeypair failed");
        }
        return new Keypairs(i, r);
    }

    /**
     * A clock that moves one second forward at every wall-clock reading (one per initiation), with
     * the monotonic clock in step, so repeated handshakes look one second apart to the peers.
     */
    static final class SteppingClock implements Clock {

        private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
        private long seconds;

        @Override
        public long nanoTime() {
            return seconds * 1_000_000_000L;
        }

        @Override
        public Instant now() {
            return START.plusSeconds(++seconds);
        }
    }
}
