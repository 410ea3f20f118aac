package net.weft.crypto.fuzz;

import static net.weft.crypto.fuzz.FuzzFixtures.CLOCK;
import static net.weft.crypto.fuzz.FuzzFixtures.RESPONDER;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import net.weft.crypto.cookie.CookieChecker;
import net.weft.crypto.cookie.CookieGenerator;
import net.weft.crypto.message.Messages;

/**
 * mac1, mac2 and cookie replies: {@link CookieChecker} on messages from anyone, and
 * {@link CookieGenerator#consumeReply} on replies from anyone.
 */
class CookieFuzzTest {

    private static final byte[] SOURCE = {(byte) 192, 0, 2, 7, 0x1f, (byte) 0x90};

    /** The responder's checker, secret already set (it sent one cookie reply). */
    private static final CookieChecker CHECKER = new CookieChecker(RESPONDER.publicKey(), CLOCK, new FuzzFixtures.SeededRandom(30));

    static {
        byte[] initiation = FuzzFixtures.initiation();
        CHECKER.createReply(initiation, 0, initiation.length, SOURCE, new byte[Messages.COOKIE_REPLY_SIZE], 0);
    }

    /**
     * Any message, offset and length: never throws. For a message inside the array, the macs a
     * {@link CookieGenerator} adds must pass, and changing any byte before mac2 must fail.
     */
    @FuzzTest(maxDuration = "30s")
    void checkMac1(FuzzedDataProvider data) {
        boolean inside = data.consumeBoolean();
        int off = inside ? data.consumeInt(0, 8) : data.consumeInt();
        int lenHint = data.consumeInt();
        int flip = data.consumeInt(0, Integer.MAX_VALUE);
        byte[] msg = data.consumeRemainingAsBytes();
        int len = inside ? FuzzFixtures.lengthWithin(lenHint, msg.length, off) : lenHint;

        boolean raw = CHECKER.checkMac1(msg, off, len);
        if (!isMessageRange(msg, off, len)) {
            if (raw) {
                throw new AssertionError("mac1 accepted outside the array: off=" + off + " len=" + len);
            }
            return;
        }

        byte[] stamped = msg.clone();
        new CookieGenerator(RESPONDER.publicKey(), CLOCK).addMacs(stamped, off, len);
        if (!CHECKER.checkMac1(stamped, off, len)) {
            throw new AssertionError("mac1 written by CookieGenerator rejected");
        }
        int at = off + flip % (len - Messages.MAC_SIZE);
        stamped[at] ^= 1;
        if (CHECKER.checkMac1(stamped, off, len)) {
            throw new AssertionError("mac1 accepted after byte " + (at - off) + " changed");
        }
    }

    /**
     * Any message, offset, length and source address: never throws. A generator that consumed a
     * real cookie reply for the source writes a mac2 that passes, for that source only.
     */
    @FuzzTest(maxDuration = "30s")
    void checkMac2(FuzzedDataProvider data) {
        boolean inside = data.consumeBoolean();
        int off = inside ? data.consumeInt(0, 8) : data.consumeInt();
        int lenHint = data.consumeInt();
        byte[] source = data.consumeBytes(data.consumeInt(0, 32));
        byte[] msg = data.consumeRemainingAsBytes();
        int len = inside ? FuzzFixtures.lengthWithin(lenHint, msg.length, off) : lenHint;

        boolean raw = CHECKER.checkMac2(msg, off, len, source);
        if (!isMessageRange(msg, off, len)) {
            if (raw) {
                throw new AssertionError("mac2 accepted outside the array: off=" + off + " len=" + len);
            }
            return;
        }

        byte[] stamped = msg.clone();
        CookieGenerator generator = new CookieGenerator(RESPONDER.publicKey(), CLOCK);
        generator.addMacs(stamped, off, len);
        byte[] reply = new byte[Messages.COOKIE_REPLY_SIZE];
        CHECKER.createReply(stamped, off, len, source, reply, 0);
        if (!generator.consumeReply(reply, 0, reply.length)) {
            throw new AssertionError("a fresh cookie reply to our own message was refused");
        }
        generator.addMacs(stamped, off, len);
        if (!CHECKER.checkMac2(stamped, off, len, source)) {
            throw new AssertionError("mac2 made with a fresh cookie rejected");
        }
        byte[] other = Arrays.copyOf(source, source.length + 1);
        if (CHECKER.checkMac2(stamped, off, len, other)) {
            throw new AssertionError("mac2 accepted for another source address");
        }
    }

    /**
     * A cookie reply to the initiation we last stamped, mutated, or any bytes: never throws. A
     * mutated reply is accepted exactly when its authenticated part (nonce and encrypted cookie) is
     * untouched; an accepted reply leaves the generator with the checker's cookie for the source,
     * and a second reply is refused.
     */
    @FuzzTest(maxDuration = "30s")
    void consumeReply(FuzzedDataProvider data) {
        byte[] initiation = FuzzFixtures.initiation();
        CookieGenerator generator = new CookieGenerator(RESPONDER.publicKey(), CLOCK);
        generator.addMacs(initiation, 0, initiation.length);
        byte[] original = new byte[Messages.COOKIE_REPLY_SIZE];
        CHECKER.createReply(initiation, 0, initiation.length, SOURCE, original, 0);

        byte[] msg;
        int off;
        int len;
        boolean raw = data.consumeBoolean();
        if (raw) {
            off = data.consumeInt(0, 8);
            byte[] bytes = data.consumeRemainingAsBytes();
            msg = new byte[off + bytes.length];
            System.arraycopy(bytes, 0, msg, off, bytes.length);
            len = bytes.length;
        } else {
            msg = original.clone();
            FuzzFixtures.mutate(data, msg, 0, msg.length);
            off = 0;
            len = msg.length;
        }

        boolean intact = !raw && FuzzFixtures.sameRange(msg, original, Messages.COOKIE_REPLY_NONCE, Messages.COOKIE_REPLY_SIZE);

        boolean accepted = generator.consumeReply(msg, off, len);

        if (accepted != generator.hasFreshCookie()) {
            throw new AssertionError("consumeReply answered " + accepted + " but hasFreshCookie is " + generator.hasFreshCookie());
        }
        if (!raw && accepted != intact) {
            throw new AssertionError(intact ? "a reply with its authenticated part intact was refused"
                    : "a cookie reply with a changed nonce or cookie was accepted");
        }
        if (!accepted) {
            return;
        }
        // any reply the checker ever made to this initiation is genuine (raw mode may replay an
        // older one the fuzzer picked up); a forged one would not yield the checker's cookie
        if (len != Messages.COOKIE_REPLY_SIZE) {
            throw new AssertionError("a " + len + "-byte cookie reply was accepted");
        }
        if (generator.consumeReply(original, 0, original.length)) {
            throw new AssertionError("a second reply to the same message was accepted");
        }
        // the cookie is the one the checker made for SOURCE: mac2 now passes there
        generator.addMacs(initiation, 0, initiation.length);
        if (!CHECKER.checkMac2(initiation, 0, initiation.length, SOURCE)) {
            throw new AssertionError("mac2 from an accepted cookie rejected");
        }
    }

    /** A handshake message can sit in {@code msg[off..off+len)}: inside the array, room for both macs. */
    private static boolean isMessageRange(byte[] msg, int off, int len) {
        return off >= 0 && len >= 2 * Messages.MAC_SIZE && (long) off + len <= msg.length;
    }
}
