package net.weft.crypto.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.weft.crypto.FakeClock;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.LocalIdentity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mac1, mac2 and cookie replies (whitepaper section 5.4.4 and 5.4.7) between an initiator's
 * {@link CookieGenerator} and a responder's {@link CookieChecker}, on real handshake messages, with
 * fake clocks so the 120-second lifetimes can be crossed.
 */
class CookieTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final LocalIdentity ALICE = LocalIdentity.of(PrivateKey.generate(RANDOM));
    private static final LocalIdentity BOB = LocalIdentity.of(PrivateKey.generate(RANDOM));
    private static final LocalIdentity CAROL = LocalIdentity.of(PrivateKey.generate(RANDOM));
    /** Alice's address as Bob's node would encode it: IPv4 198.51.100.7, port 51820. */
    private static final byte[] SOURCE = {(byte) 198, 51, 100, 7, (byte) 0xca, 0x6c};
    private static final byte[] OTHER_SOURCE = {(byte) 198, 51, 100, 8, (byte) 0xca, 0x6c};

    /** Bob's clock (the checker's). */
    private final FakeClock bobClock = new FakeClock();
    /** Alice's clock (the generator's), apart from Bob's so each side's lifetime can be crossed alone. */
    private final FakeClock aliceClock = new FakeClock();
    /** Alice's macs on messages to Bob. */
    private CookieGenerator alice;
    /** Bob's checks of messages to him. */
    private CookieChecker bob;
    private Handshake aliceHandshake;
    private int nextIndex = 1;

    @BeforeEach
    void setUp() {
        alice = new CookieGenerator(BOB.publicKey(), aliceClock);
        bob = new CookieChecker(BOB.publicKey(), bobClock, RANDOM);
        aliceHandshake = new Handshake(ALICE, BOB.publicKey(), PresharedKey.none(), aliceClock, RANDOM);
    }

    /** A fresh initiation from Alice to Bob, macs added by {@link #alice}. */
    private byte[] initiation() {
        byte[] msg = new byte[Messages.INITIATION_SIZE];
        assertThat(aliceHandshake.createInitiation(nextIndex++, msg, 0)).isTrue();
        alice.addMacs(msg, 0, msg.length);
        return msg;
    }

    private byte[] reply(CookieChecker checker, byte[] msg, byte[] source) {
        byte[] reply = new byte[Messages.COOKIE_REPLY_SIZE];
        assertThat(checker.createReply(msg, 0, msg.length, source, reply, 0)).isEqualTo(Messages.COOKIE_REPLY_SIZE);
        return reply;
    }

    private boolean mac2(byte[] msg) {
        return bob.checkMac2(msg, 0, msg.length, SOURCE);
    }

    /** Alice sends an initiation, Bob (under load) answers with a cookie reply, Alice takes it. */
    private void giveAliceACookie() {
        byte[] first = initiation();
        assertThat(alice.consumeReply(reply(bob, first, SOURCE), 0, Messages.COOKIE_REPLY_SIZE)).isTrue();
        assertThat(alice.hasFreshCookie()).isTrue();
    }

    private static byte[] flipped(byte[] msg, int at, int mask) {
        byte[] copy = msg.clone();
        copy[at] ^= (byte) mask;
        return copy;
    }

    // ---- mac1 -----------------------------------------------------------------------------------

    @Test
    void mac1OfTheRightReceiverIsValid() {
        byte[] msg = initiation();
        assertThat(bob.checkMac1(msg, 0, msg.length)).isTrue();
        assertThat(Arrays.copyOfRange(msg, Messages.INITIATION_MAC2, Messages.INITIATION_SIZE))
                .as("no cookie yet: mac2 is zero").containsOnly(0);

        // inside a larger buffer, at an offset
        byte[] big = new byte[msg.length + 20];
        System.arraycopy(msg, 0, big, 11, msg.length);
        assertThat(bob.checkMac1(big, 11, msg.length)).isTrue();
    }

    @ParameterizedTest(name = "xor 0x{0}")
    @ValueSource(ints = {0x01, 0x80, 0xff})
    void mac1CoversEveryByteBeforeIt(int mask) {
        byte[] msg = initiation();
        for (int at = 0; at < Messages.INITIATION_MAC2; at++) {
            assertThat(bob.checkMac1(flipped(msg, at, mask), 0, msg.length)).as("byte %d changed", at).isFalse();
        }
        for (int at = Messages.INITIATION_MAC2; at < Messages.INITIATION_SIZE; at++) {
            assertThat(bob.checkMac1(flipped(msg, at, mask), 0, msg.length))
                    .as("mac2 byte %d is not under mac1", at).isTrue();
        }
        assertThat(bob.checkMac1(msg, 0, msg.length)).isTrue();
    }

    @Test
    void mac1ForAnotherReceiverOrMissingIsInvalid() {
        byte[] msg = new byte[Messages.INITIATION_SIZE];
        assertThat(aliceHandshake.createInitiation(9, msg, 0)).isTrue();
        assertThat(bob.checkMac1(msg, 0, msg.length)).as("mac1 left zero").isFalse();

        new CookieGenerator(CAROL.publicKey(), aliceClock).addMacs(msg, 0, msg.length);
        assertThat(bob.checkMac1(msg, 0, msg.length)).as("mac1 keyed for Carol").isFalse();
        assertThat(new CookieChecker(CAROL.publicKey(), bobClock, RANDOM).checkMac1(msg, 0, msg.length))
                .as("Carol accepts it").isTrue();
    }

    @Test
    void mac1OfAResponseIsKeyedByTheInitiator() {
        byte[] init = initiation();
        Handshake bobHandshake = new Handshake(BOB, ALICE.publicKey(), PresharedKey.none(), bobClock, RANDOM);
        assertThat(Handshake.consumeInitiation(BOB, init, 0, k -> bobHandshake)).isSameAs(bobHandshake);
        byte[] response = new byte[Messages.RESPONSE_SIZE];
        assertThat(bobHandshake.createResponse(77, response, 0)).isTrue();
        new CookieGenerator(ALICE.publicKey(), bobClock).addMacs(response, 0, response.length);

        assertThat(new CookieChecker(ALICE.publicKey(), aliceClock, RANDOM).checkMac1(response, 0, response.length)).isTrue();
        assertThat(bob.checkMac1(response, 0, response.length)).as("Bob's own key").isFalse();
        for (int at = 0; at < Messages.RESPONSE_MAC2; at++) {
            assertThat(new CookieChecker(ALICE.publicKey(), aliceClock, RANDOM)
                    .checkMac1(flipped(response, at, 0xff), 0, response.length)).as("byte %d changed", at).isFalse();
        }
    }

    @Test
    void badBoundsAreInvalidNotExceptions() {
        byte[] msg = initiation();
        assertThat(bob.checkMac1(msg, 1, msg.length)).isFalse();
        assertThat(bob.checkMac1(msg, -1, msg.length)).isFalse();
        assertThat(bob.checkMac1(msg, 0, 31)).isFalse();
        assertThat(bob.checkMac2(msg, 1, msg.length, SOURCE)).isFalse();
        assertThat(bob.checkMac2(msg, 0, 10, SOURCE)).isFalse();
    }

    // ---- mac2 and cookie replies ----------------------------------------------------------------

    @Test
    void underLoadMac2IsRequiredAndValidAfterTheCookieReply() {
        byte[] first = initiation();
        // Bob is under load: mac1 is fine but mac2 is missing, so he answers with a cookie reply
        assertThat(bob.checkMac1(first, 0, first.length)).isTrue();
        assertThat(mac2(first)).isFalse();
        byte[] reply = reply(bob, first, SOURCE);
        assertThat(Messages.classify(reply, 0, reply.length)).isEqualTo(Messages.TYPE_COOKIE_REPLY);
        assertThat(Messages.readInt(reply, Messages.COOKIE_REPLY_RECEIVER))
                .as("addressed to the initiation's sender index")
                .isEqualTo(Messages.readInt(first, Messages.INITIATION_SENDER));
        assertThat(mac2(first)).as("the first initiation still has no mac2").isFalse();

        assertThat(alice.hasFreshCookie()).isFalse();
        assertThat(alice.consumeReply(reply, 0, reply.length)).isTrue();
        assertThat(alice.hasFreshCookie()).isTrue();

        byte[] second = initiation();
        assertThat(Arrays.copyOfRange(second, Messages.INITIATION_MAC2, Messages.INITIATION_SIZE))
                .as("mac2 now set").isNotEqualTo(new byte[16]);
        assertThat(bob.checkMac1(second, 0, second.length)).isTrue();
        assertThat(mac2(second)).isTrue();
        assertThat(bob.checkMac2(second, 0, second.length, OTHER_SOURCE))
                .as("the cookie belongs to Alice's address only").isFalse();
        for (int at = 0; at < Messages.INITIATION_SIZE; at++) {
            assertThat(mac2(flipped(second, at, 0x01))).as("byte %d changed", at).isFalse();
        }
    }

    @Test
    void replyBeforeSendingAnythingOrTwiceIsRefused() {
        byte[] someoneElses = new byte[Messages.INITIATION_SIZE];
        new CookieGenerator(BOB.publicKey(), aliceClock).addMacs(someoneElses, 0, someoneElses.length);
        byte[] reply = reply(bob, someoneElses, SOURCE);
        assertThat(alice.consumeReply(reply, 0, reply.length)).as("Alice sent nothing yet").isFalse();

        byte[] msg = initiation();
        byte[] good = reply(bob, msg, SOURCE);
        assertThat(alice.consumeReply(good, 0, good.length)).isTrue();
        assertThat(alice.consumeReply(good, 0, good.length)).as("the same reply again").isFalse();
    }

    @Test
    void replyBoundToAnotherMac1IsRefused() {
        byte[] older = initiation();
        byte[] newer = initiation();
        byte[] forOlder = reply(bob, older, SOURCE);
        assertThat(alice.consumeReply(forOlder, 0, forOlder.length))
                .as("a reply to a message that is not the last one Alice sent").isFalse();
        assertThat(alice.hasFreshCookie()).isFalse();

        CookieChecker carol = new CookieChecker(CAROL.publicKey(), bobClock, RANDOM);
        byte[] fromCarol = reply(carol, newer, SOURCE);
        assertThat(alice.consumeReply(fromCarol, 0, fromCarol.length))
                .as("encrypted under Carol's cookie key, not Bob's").isFalse();

        byte[] forNewer = reply(bob, newer, SOURCE);
        assertThat(alice.consumeReply(forNewer, 0, forNewer.length)).isTrue();
    }

    @ParameterizedTest(name = "xor 0x{0}")
    @ValueSource(ints = {0x01, 0x80, 0xff})
    void tamperedReplyIsRefused(int mask) {
        byte[] msg = initiation();
        byte[] reply = reply(bob, msg, SOURCE);
        for (int at = 0; at < 4; at++) {
            assertThat(Messages.classify(flipped(reply, at, mask), 0, reply.length))
                    .as("header byte %d changed", at).isEqualTo(Messages.INVALID);
        }
        // bytes 4..7, the receiver index, only route the reply to a handshake; the node does that
        for (int at = Messages.COOKIE_REPLY_NONCE; at < Messages.COOKIE_REPLY_SIZE; at++) {
            assertThat(alice.consumeReply(flipped(reply, at, mask), 0, reply.length))
                    .as("byte %d changed", at).isFalse();
            assertThat(alice.hasFreshCookie()).isFalse();
        }
        assertThat(alice.consumeReply(reply, 0, reply.length - 1)).as("one byte short").isFalse();
        assertThat(alice.consumeReply(reply, 0, reply.length)).as("the untouched reply still works").isTrue();
    }

    @Test
    void garbageRepliesAreRefusedWithoutExceptions() {
        initiation();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[Messages.COOKIE_REPLY_SIZE];
            r.nextBytes(garbage);
            Messages.writeHeader(garbage, 0, Messages.TYPE_COOKIE_REPLY);
            assertThat(alice.consumeReply(garbage, 0, garbage.length)).isFalse();
        }
    }

    @Test
    void repliesUseFreshNonces() {
        byte[] msg = initiation();
        byte[] a = reply(bob, msg, SOURCE);
        byte[] b = reply(bob, msg, SOURCE);
        assertThat(Arrays.copyOfRange(a, Messages.COOKIE_REPLY_NONCE, Messages.COOKIE_REPLY_COOKIE))
                .isNotEqualTo(Arrays.copyOfRange(b, Messages.COOKIE_REPLY_NONCE, Messages.COOKIE_REPLY_COOKIE));
    }

    // ---- lifetimes ------------------------------------------------------------------------------

    @Test
    void cookieSecretRotatesAfter120Seconds() {
        giveAliceACookie();
        assertThat(mac2(initiation())).isTrue();

        bobClock.advance(Duration.ofSeconds(119));
        assertThat(mac2(initiation())).as("after 119 s").isTrue();

        bobClock.advance(Duration.ofSeconds(2));
        // Alice's clock stood still, so she still macs with her cookie; Bob's secret is too old
        assertThat(alice.hasFreshCookie()).isTrue();
        byte[] stale = initiation();
        assertThat(mac2(stale)).as("after 121 s the secret expired").isFalse();

        // Bob answers with a cookie made from a new secret; the old cookie stays useless
        byte[] fresh = reply(bob, stale, SOURCE);
        byte[] withOldCookie = initiation();
        assertThat(bob.checkMac1(withOldCookie, 0, withOldCookie.length)).isTrue();
        assertThat(mac2(withOldCookie)).as("old cookie against the new secret").isFalse();

        byte[] answer = reply(bob, withOldCookie, SOURCE);
        assertThat(alice.consumeReply(answer, 0, answer.length)).isTrue();
        assertThat(mac2(initiation())).as("with the cookie from the new secret").isTrue();
        assertThat(alice.consumeReply(fresh, 0, fresh.length)).as("bound to an older message").isFalse();
    }

    @Test
    void initiatorStopsUsingACookieAfter120Seconds() {
        giveAliceACookie();
        aliceClock.advance(Duration.ofSeconds(119));
        assertThat(alice.hasFreshCookie()).isTrue();
        aliceClock.advance(Duration.ofSeconds(2));
        assertThat(alice.hasFreshCookie()).isFalse();
        byte[] msg = initiation();
        assertThat(Arrays.copyOfRange(msg, Messages.INITIATION_MAC2, Messages.INITIATION_SIZE))
                .as("mac2 is zero again").containsOnly(0);
        assertThat(bob.checkMac1(msg, 0, msg.length)).isTrue();
    }
}
