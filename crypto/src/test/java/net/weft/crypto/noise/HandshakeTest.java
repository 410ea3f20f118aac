package net.weft.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import net.weft.crypto.FakeClock;
import net.weft.crypto.cookie.CookieChecker;
import net.weft.crypto.cookie.CookieGenerator;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.primitive.ChaChaPoly;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips of the WireGuard handshake between an initiator and a responder, each message going
 * through what a node does on receipt: {@link Messages#classify}, mac1 (and mac2 under load)
 * through {@link CookieChecker}, then {@link Handshake}. Time comes from a {@link FakeClock}.
 */
class HandshakeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final LocalIdentity INITIATOR = LocalIdentity.of(PrivateKey.generate(RANDOM));
    private static final LocalIdentity RESPONDER = LocalIdentity.of(PrivateKey.generate(RANDOM));
    private static final LocalIdentity STRANGER = LocalIdentity.of(PrivateKey.generate(RANDOM));
    private static final int INITIATOR_INDEX = 0x0badf00d;
    private static final int RESPONDER_INDEX = 0xcafe0001;
    /** The initiator's address as the responder's node encodes it. */
    private static final byte[] INITIATOR_SOURCE = {(byte) 203, 0, 113, 5, (byte) 0xca, 0x6c};
    private static final byte[] RESPONDER_SOURCE = {(byte) 203, 0, 113, 6, (byte) 0xca, 0x6c};

    private final FakeClock clock = new FakeClock();
    private final PresharedKey psk = PresharedKey.generate(RANDOM);

    private Handshake initiator;
    /** The responder's handshake with the initiator, found by the initiator's public key. */
    private Handshake responderPeer;
    private Function<PublicKey, Handshake> responderPeers;

    /** The initiator's macs on messages to the responder, and the responder's checks. */
    private CookieGenerator initiatorMacs;
    private CookieChecker responderChecker;
    /** The responder's macs on messages to the initiator, and the initiator's checks. */
    private CookieGenerator responderMacs;
    private CookieChecker initiatorChecker;

    @BeforeEach
    void setUp() {
        initiator = new Handshake(INITIATOR, RESPONDER.publicKey(), psk, clock, RANDOM);
        responderPeer = new Handshake(RESPONDER, INITIATOR.publicKey(), psk, clock, RANDOM);
        responderPeers = k -> k.equals(INITIATOR.publicKey()) ? responderPeer : null;
        initiatorMacs = new CookieGenerator(RESPONDER.publicKey(), clock);
        responderChecker = new CookieChecker(RESPONDER.publicKey(), clock, RANDOM);
        responderMacs = new CookieGenerator(INITIATOR.publicKey(), clock);
        initiatorChecker = new CookieChecker(INITIATOR.publicKey(), clock, RANDOM);
    }

    // ---- what a node does ---------------------------------------------------------------------

    private byte[] createInitiation() {
        byte[] msg = new byte[Messages.INITIATION_SIZE];
        assertThat(initiator.createInitiation(INITIATOR_INDEX, msg, 0)).isTrue();
        initiatorMacs.addMacs(msg, 0, msg.length);
        return msg;
    }

    /** The responder's receive path for an initiation; null when any step refuses it. */
    private Handshake receiveInitiation(byte[] msg, boolean underLoad) {
        if (Messages.classify(msg, 0, msg.length) != Messages.TYPE_INITIATION
                || !responderChecker.checkMac1(msg, 0, msg.length)
                || underLoad && !responderChecker.checkMac2(msg, 0, msg.length, INITIATOR_SOURCE)) {
            return null;
        }
        return Handshake.consumeInitiation(RESPONDER, msg, 0, responderPeers);
    }

    private byte[] createResponse() {
        byte[] msg = new byte[Messages.RESPONSE_SIZE];
        assertThat(responderPeer.createResponse(RESPONDER_INDEX, msg, 0)).isTrue();
        responderMacs.addMacs(msg, 0, msg.length);
        return msg;
    }

    /** The initiator's receive path for a response. */
    private boolean receiveResponse(byte[] msg, boolean underLoad) {
        return Messages.classify(msg, 0, msg.length) == Messages.TYPE_RESPONSE
                && initiatorChecker.checkMac1(msg, 0, msg.length)
                && (!underLoad || initiatorChecker.checkMac2(msg, 0, msg.length, RESPONDER_SOURCE))
                && initiator.consumeResponse(msg, 0);
    }

    /** Gives the sender of {@code msg} a cookie from {@code checker} and re-macs {@code msg} with it. */
    private static void addCookie(byte[] msg, CookieChecker checker, byte[] source, CookieGenerator senderMacs) {
        byte[] reply = new byte[Messages.COOKIE_REPLY_SIZE];
        checker.createReply(msg, 0, msg.length, source, reply, 0);
        assertThat(senderMacs.consumeReply(reply, 0, reply.length)).isTrue();
        senderMacs.addMacs(msg, 0, msg.length);
        assertThat(checker.checkMac2(msg, 0, msg.length, source)).isTrue();
    }

    private static byte[] flipped(byte[] msg, int at, int mask) {
        byte[] copy = msg.clone();
        copy[at] ^= (byte) mask;
        return copy;
    }

    /** Seals {@code payload} with {@code from} and opens it with {@code to}; returns what came out. */
    private static byte[] transport(Keypair from, Keypair to, byte[] payload) {
        int padded = Messages.paddedLength(payload.length, 1420);
        byte[] buf = new byte[Messages.TRANSPORT_HEADER_SIZE + padded + Messages.TAG_SIZE];
        System.arraycopy(payload, 0, buf, Messages.TRANSPORT_PAYLOAD, payload.length);
        long counter = from.nextSendCounter();
        int n = from.seal(ChaChaPoly.get(), counter, buf, 0, payload.length, padded);
        assertThat(Messages.classify(buf, 0, n)).isEqualTo(Messages.TYPE_TRANSPORT);
        assertThat(Messages.readInt(buf, Messages.TRANSPORT_RECEIVER))
                .as("the receiver index names the receiving keypair").isEqualTo(to.localIndex());
        int plain = to.open(ChaChaPoly.get(), buf, 0, n);
        assertThat(plain).isEqualTo(padded);
        assertThat(to.acceptCounter(Messages.readLong(buf, Messages.TRANSPORT_COUNTER))).isTrue();
        return Arrays.copyOfRange(buf, Messages.TRANSPORT_PAYLOAD, Messages.TRANSPORT_PAYLOAD + payload.length);
    }

    /** Completes a handshake and checks that both keypairs talk to each other. */
    private void assertHandshakeCompletes(byte[] initiation, boolean underLoad) {
        assertThat(receiveInitiation(initiation, underLoad)).isSameAs(responderPeer);
        byte[] response = createResponse();
        assertThat(receiveResponse(response, false)).isTrue();
        assertKeypairsMatch(initiator.deriveKeypair(), responderPeer.deriveKeypair());
    }

    private static void assertKeypairsMatch(Keypair mine, Keypair theirs) {
        assertThat(mine).isNotNull();
        assertThat(theirs).isNotNull();
        byte[] ping = "echo request from the initiator".getBytes(StandardCharsets.US_ASCII);
        byte[] pong = "echo reply from the responder, a little longer".getBytes(StandardCharsets.US_ASCII);
        assertThat(transport(mine, theirs, ping)).isEqualTo(ping);
        assertThat(transport(theirs, mine, pong)).isEqualTo(pong);
    }

    // ---- round trip -----------------------------------------------------------------------------

    @Test
    void bothSidesDeriveTheSameKeysAndIndices() {
        byte[] initiation = createInitiation();
        assertThat(initiator.state()).isEqualTo(Handshake.State.INITIATION_CREATED);
        assertThat(initiator.localIndex()).isEqualTo(INITIATOR_INDEX);

        assertThat(receiveInitiation(initiation, false)).isSameAs(responderPeer);
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.INITIATION_CONSUMED);
        assertThat(responderPeer.remoteIndex()).isEqualTo(INITIATOR_INDEX);

        byte[] response = createResponse();
        assertThat(Messages.readInt(response, Messages.RESPONSE_SENDER)).isEqualTo(RESPONDER_INDEX);
        assertThat(Messages.readInt(response, Messages.RESPONSE_RECEIVER)).isEqualTo(INITIATOR_INDEX);
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.RESPONSE_CREATED);

        assertThat(receiveResponse(response, false)).isTrue();
        assertThat(initiator.state()).isEqualTo(Handshake.State.RESPONSE_CONSUMED);
        assertThat(initiator.remoteIndex()).isEqualTo(RESPONDER_INDEX);

        Keypair mine = initiator.deriveKeypair();
        Keypair theirs = responderPeer.deriveKeypair();
        assertThat(mine.isInitiator()).isTrue();
        assertThat(theirs.isInitiator()).isFalse();
        assertThat(mine.localIndex()).isEqualTo(INITIATOR_INDEX).isEqualTo(theirs.remoteIndex());
        assertThat(mine.remoteIndex()).isEqualTo(RESPONDER_INDEX).isEqualTo(theirs.localIndex());
        assertThat(mine.createdNanos()).isEqualTo(clock.nanoTime());
        assertThat(initiator.state()).isEqualTo(Handshake.State.ZEROED);
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.ZEROED);

        assertKeypairsMatch(mine, theirs);
        // many packets both ways, counters advancing
        for (int i = 0; i < 100; i++) {
            byte[] p = new byte[i * 13];
            RANDOM.nextBytes(p);
            assertThat(transport(mine, theirs, p)).isEqualTo(p);
            assertThat(transport(theirs, mine, p)).isEqualTo(p);
        }
        // the keys are directional: a keypair cannot open what it sealed itself
        byte[] buf = new byte[Messages.TRANSPORT_HEADER_SIZE + 16 + Messages.TAG_SIZE];
        int n = mine.seal(ChaChaPoly.get(), mine.nextSendCounter(), buf, 0, 16, 16);
        assertThat(mine.open(ChaChaPoly.get(), buf.clone(), 0, n)).isEqualTo(-1);
    }

    @Test
    void handshakeWithoutPresharedKeyWorks() {
        initiator = new Handshake(INITIATOR, RESPONDER.publicKey(), null, clock, RANDOM);
        responderPeer = new Handshake(RESPONDER, INITIATOR.publicKey(), PresharedKey.none(), clock, RANDOM);
        assertHandshakeCompletes(createInitiation(), false);
    }

    @Test
    void eachHandshakeDerivesNewKeys() {
        assertHandshakeCompletes(createInitiation(), false);
        clock.advance(Duration.ofSeconds(1));
        byte[] second = createInitiation();
        assertThat(receiveInitiation(second, false)).isSameAs(responderPeer);
        assertThat(receiveResponse(createResponse(), false)).isTrue();
        Keypair mine = initiator.deriveKeypair();
        Keypair theirs = responderPeer.deriveKeypair();
        assertKeypairsMatch(mine, theirs);

        clock.advance(Duration.ofSeconds(1));
        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);
        assertThat(receiveResponse(createResponse(), false)).isTrue();
        Keypair third = initiator.deriveKeypair();
        byte[] buf = new byte[Messages.TRANSPORT_MIN_SIZE];
        int n = third.seal(ChaChaPoly.get(), 0, buf, 0, 0, 0);
        assertThat(theirs.open(ChaChaPoly.get(), buf, 0, n)).as("the previous keypair cannot open it").isEqualTo(-1);
    }

    // ---- every flipped byte ---------------------------------------------------------------------

    @ParameterizedTest(name = "xor 0x{0}")
    @ValueSource(ints = {0x01, 0x80, 0xff})
    void everyFlippedByteOfTheInitiationIsRejected(int mask) {
        byte[] initiation = createInitiation();
        // under load, so that mac2 counts too: give the initiator a cookie first
        addCookie(initiation, responderChecker, INITIATOR_SOURCE, initiatorMacs);

        for (int at = 0; at < Messages.INITIATION_SIZE; at++) {
            byte[] bad = flipped(initiation, at, mask);
            assertThat(receiveInitiation(bad, true)).as("byte %d changed", at).isNull();
            if (at >= Messages.INITIATION_EPHEMERAL && at < Messages.INITIATION_MAC1) {
                // the Noise part fails on its own, even with mac1 not checked
                assertThat(Handshake.consumeInitiation(RESPONDER, bad, 0, responderPeers))
                        .as("Noise byte %d changed, macs not checked", at).isNull();
            }
            assertThat(responderPeer.state()).as("after byte %d", at).isEqualTo(Handshake.State.ZEROED);
        }
        // nothing above touched the responder: the real initiation is still new to it
        assertHandshakeCompletes(initiation, true);
    }

    @Test
    void mac2IsCheckedOnlyUnderLoad() {
        // the whitepaper: without load the responder ignores mac2, so a changed mac2 passes
        byte[] initiation = createInitiation();
        addCookie(initiation, responderChecker, INITIATOR_SOURCE, initiatorMacs);
        byte[] badMac2 = flipped(initiation, Messages.INITIATION_MAC2, 0xff);
        assertThat(receiveInitiation(badMac2, true)).isNull();
        assertThat(receiveInitiation(badMac2, false)).isSameAs(responderPeer);
    }

    @ParameterizedTest(name = "xor 0x{0}")
    @ValueSource(ints = {0x01, 0x80, 0xff})
    void everyFlippedByteOfTheResponseIsRejected(int mask) {
        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);
        byte[] response = createResponse();
        addCookie(response, initiatorChecker, RESPONDER_SOURCE, responderMacs);

        for (int at = 0; at < Messages.RESPONSE_SIZE; at++) {
            byte[] bad = flipped(response, at, mask);
            assertThat(receiveResponse(bad, true)).as("byte %d changed", at).isFalse();
            if (at >= Messages.RESPONSE_RECEIVER && at < Messages.RESPONSE_MAC1) {
                // receiver index and Noise part fail on their own, macs not checked
                assertThat(initiator.consumeResponse(bad, 0)).as("byte %d changed, macs not checked", at).isFalse();
            }
            assertThat(initiator.state()).as("after byte %d", at).isEqualTo(Handshake.State.INITIATION_CREATED);
        }
        assertThat(receiveResponse(response, true)).as("the real response still works").isTrue();
        assertKeypairsMatch(initiator.deriveKeypair(), responderPeer.deriveKeypair());
    }

    // ---- refusals -------------------------------------------------------------------------------

    @Test
    void wrongMac1IsRejected() {
        byte[] initiation = createInitiation();
        byte[] forStranger = initiation.clone();
        new CookieGenerator(STRANGER.publicKey(), clock).addMacs(forStranger, 0, forStranger.length);
        assertThat(responderChecker.checkMac1(forStranger, 0, forStranger.length)).isFalse();
        assertThat(receiveInitiation(forStranger, false)).isNull();

        byte[] zeroMac1 = initiation.clone();
        Arrays.fill(zeroMac1, Messages.INITIATION_MAC1, Messages.INITIATION_MAC2, (byte) 0);
        assertThat(receiveInitiation(zeroMac1, false)).isNull();

        assertThat(responderPeer.state()).isEqualTo(Handshake.State.ZEROED);
        assertThat(receiveInitiation(initiation, false)).isSameAs(responderPeer);

        // and on the way back: a response with the wrong mac1 does not reach the handshake
        byte[] response = createResponse();
        byte[] badResponse = response.clone();
        new CookieGenerator(STRANGER.publicKey(), clock).addMacs(badResponse, 0, badResponse.length);
        assertThat(receiveResponse(badResponse, false)).isFalse();
        assertThat(initiator.state()).isEqualTo(Handshake.State.INITIATION_CREATED);
        assertThat(receiveResponse(response, false)).isTrue();
    }

    @Test
    void staleTimestampIsRejected() {
        byte[] first = createInitiation();
        assertThat(receiveInitiation(first, false)).isSameAs(responderPeer);

        // well past the flood limit, so only the timestamp decides
        clock.advanceMonotonic(Duration.ofSeconds(1));
        assertThat(receiveInitiation(first, false)).as("the same initiation replayed").isNull();

        byte[] sameTime = createInitiation(); // the wall clock did not move: equal timestamp
        assertThat(receiveInitiation(sameTime, false)).as("equal timestamp").isNull();

        clock.advanceWall(Duration.ofSeconds(-5));
        byte[] older = createInitiation();
        assertThat(receiveInitiation(older, false)).as("older timestamp").isNull();

        clock.advanceWall(Duration.ofMillis(5_000 + 10));
        byte[] withinWhitening = createInitiation();
        assertThat(receiveInitiation(withinWhitening, false))
                .as("10 ms later: TAI64N nanoseconds are rounded down to 2^24 ns, so still equal").isNull();

        // the refusals left the accepted initiation's state alone
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.INITIATION_CONSUMED);
        assertThat(responderPeer.remoteIndex()).isEqualTo(INITIATOR_INDEX);

        clock.advanceWall(Duration.ofSeconds(1));
        byte[] newer = createInitiation();
        assertHandshakeCompletes(newer, false);
    }

    @Test
    void timestampIsRememberedAcrossCompletedHandshakes() {
        byte[] first = createInitiation();
        assertHandshakeCompletes(first, false);
        clock.advanceMonotonic(Duration.ofSeconds(10));
        assertThat(receiveInitiation(first, false)).as("replayed after the handshake completed").isNull();
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.ZEROED);
    }

    @Test
    void secondInitiationWithin20MillisecondsIsRejected() {
        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);

        // a newer timestamp, but only 19 ms later on the monotonic clock
        clock.advanceWall(Duration.ofSeconds(1));
        clock.advanceMonotonic(Duration.ofMillis(19));
        byte[] flood = createInitiation();
        assertThat(receiveInitiation(flood, false)).as("19 ms after the last one").isNull();
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.INITIATION_CONSUMED);

        clock.advanceMonotonic(Duration.ofMillis(2));
        assertThat(receiveInitiation(flood, false))
                .as("the same message 21 ms after the last accepted one: the refusal left no trace")
                .isSameAs(responderPeer);
    }

    @Test
    void floodLimitIsPerPeer() {
        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);

        Handshake strangerAtResponder = new Handshake(RESPONDER, STRANGER.publicKey(), null, clock, RANDOM);
        Handshake stranger = new Handshake(STRANGER, RESPONDER.publicKey(), null, clock, RANDOM);
        byte[] other = new byte[Messages.INITIATION_SIZE];
        assertThat(stranger.createInitiation(42, other, 0)).isTrue();
        clock.advanceMonotonic(Duration.ofMillis(1));
        assertThat(Handshake.consumeInitiation(RESPONDER, other, 0,
                k -> k.equals(STRANGER.publicKey()) ? strangerAtResponder : responderPeers.apply(k)))
                .as("another peer, 1 ms later").isSameAs(strangerAtResponder);
    }

    @Test
    void wrongPresharedKeyIsRejected() {
        PresharedKey other = PresharedKey.generate(RANDOM);
        responderPeer = new Handshake(RESPONDER, INITIATOR.publicKey(), other, clock, RANDOM);
        // the initiation does not depend on the preshared key; the response does
        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);
        byte[] response = createResponse();
        assertThat(receiveResponse(response, false)).isFalse();
        assertThat(initiator.state()).isEqualTo(Handshake.State.INITIATION_CREATED);
        assertThat(initiator.deriveKeypair()).isNull();

        // and the fix: the right key makes the same response acceptable
        initiator.presharedKey(other);
        assertThat(receiveResponse(response, false)).isTrue();
    }

    @Test
    void presharedKeyOnOneSideOnlyIsRejected() {
        responderPeer = new Handshake(RESPONDER, INITIATOR.publicKey(), PresharedKey.none(), clock, RANDOM);
        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);
        assertThat(receiveResponse(createResponse(), false)).isFalse();
        assertThat(initiator.state()).isEqualTo(Handshake.State.INITIATION_CREATED);
    }

    @Test
    void unknownPeerIsRejected() {
        byte[] initiation = createInitiation();
        assertThat(Handshake.consumeInitiation(RESPONDER, initiation, 0, k -> null)).isNull();
        assertThat(Handshake.consumeInitiation(RESPONDER, initiation, 0,
                k -> k.equals(STRANGER.publicKey()) ? responderPeer : null)).isNull();
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.ZEROED);

        // an initiation from a stranger, well formed and with a valid mac1, names nobody we know
        Handshake stranger = new Handshake(STRANGER, RESPONDER.publicKey(), null, clock, RANDOM);
        byte[] fromStranger = new byte[Messages.INITIATION_SIZE];
        assertThat(stranger.createInitiation(7, fromStranger, 0)).isTrue();
        new CookieGenerator(RESPONDER.publicKey(), clock).addMacs(fromStranger, 0, fromStranger.length);
        assertThat(receiveInitiation(fromStranger, false)).isNull();

        // the known peer is still served
        assertThat(receiveInitiation(initiation, false)).isSameAs(responderPeer);
    }

    @Test
    void initiationForAnotherResponderIsRejected() {
        Handshake toStranger = new Handshake(INITIATOR, STRANGER.publicKey(), psk, clock, RANDOM);
        byte[] msg = new byte[Messages.INITIATION_SIZE];
        assertThat(toStranger.createInitiation(3, msg, 0)).isTrue();
        assertThat(Handshake.consumeInitiation(RESPONDER, msg, 0, responderPeers)).isNull();
        assertThat(responderPeer.state()).isEqualTo(Handshake.State.ZEROED);
    }

    @Test
    void responseOutOfTurnIsRejected() {
        assertThat(responderPeer.createResponse(RESPONDER_INDEX, new byte[Messages.RESPONSE_SIZE], 0))
                .as("no initiation to answer").isFalse();
        assertThat(responderPeer.deriveKeypair()).isNull();

        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);
        byte[] response = createResponse();

        Handshake idle = new Handshake(INITIATOR, RESPONDER.publicKey(), psk, clock, RANDOM);
        assertThat(idle.consumeResponse(response, 0)).as("no initiation in flight").isFalse();

        byte[] otherIndex = response.clone();
        Messages.writeInt(otherIndex, Messages.RESPONSE_RECEIVER, INITIATOR_INDEX + 1);
        assertThat(initiator.consumeResponse(otherIndex, 0)).as("for another index").isFalse();
        assertThat(initiator.consumeResponse(Arrays.copyOf(response, 91), 0)).as("one byte short").isFalse();

        assertThat(receiveResponse(response, false)).isTrue();
        assertThat(initiator.consumeResponse(response, 0)).as("the same response twice").isFalse();
        Keypair keypair = initiator.deriveKeypair();
        assertThat(keypair).isNotNull();
        assertThat(initiator.consumeResponse(response, 0)).as("after the keypair was derived").isFalse();
    }

    @Test
    void responseToAnAbandonedInitiationIsRejected() {
        assertThat(receiveInitiation(createInitiation(), false)).isSameAs(responderPeer);
        byte[] response = createResponse();
        clock.advance(Duration.ofSeconds(5));
        createInitiation(); // rekey timeout: a new initiation with the same index replaces the old
        assertThat(receiveResponse(response, false)).isFalse();
        assertThat(initiator.state()).isEqualTo(Handshake.State.INITIATION_CREATED);
    }
}
