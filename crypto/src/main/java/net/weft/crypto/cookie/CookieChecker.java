package net.weft.crypto.cookie;

import java.security.SecureRandom;
import net.weft.crypto.Clock;
import net.weft.crypto.Protocol;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.primitive.Blake2s;
import net.weft.crypto.primitive.XChaChaPoly;

/**
 * The receiving side of mac1, mac2 and cookies, one per device. mac1 proves the sender knows our
 * public key; under load the node also demands a valid mac2, which proves the sender owns its
 * source address because it needed a cookie we sent there.
 *
 * <p>Cookies are {@code MAC(secret, source address)}; the secret is random and replaced when it
 * is older than {@link Protocol#COOKIE_REFRESH_TIME}. The secret is guarded by this object's lock.
 */
public final class CookieChecker {

    public static final long COOKIE_REFRESH_NANOS = Protocol.COOKIE_REFRESH_TIME.toNanos();

    private final CookieKeys keys;
    private final Clock clock;
    private final SecureRandom random;
    /** Guarded by {@code this}. */
    private final byte[] secret = new byte[32];
    private long secretSetAt;
    private boolean secretSet;

    public CookieChecker(PublicKey localPublicKey, Clock clock, SecureRandom random) {
        this.keys = new CookieKeys(localPublicKey);
        this.clock = clock;
        this.random = random;
    }

    /** True when the handshake message in {@code msg[off..off+len)} carries a valid mac1. */
    public boolean checkMac1(byte[] msg, int off, int len) {
        if (len < 2 * Messages.MAC_SIZE || off < 0 || off > msg.length - len) {
            return false;
        }
        int macOff = off + Messages.mac1Offset(len);
        byte[] mac = new byte[Blake2s.MAC_LENGTH];
        Blake2s.mac(keys.mac1Key, msg, off, macOff - off, mac, 0);
        return CookieKeys.macEquals(mac, 0, msg, macOff);
    }

    /**
     * True when the message carries a valid mac2 for the cookie we would give {@code source}
     * (the sender's address and port, in any stable encoding the node chooses). False when our
     * secret expired: the sender needs a fresh cookie.
     */
    public boolean checkMac2(byte[] msg, int off, int len, byte[] source) {
        if (len < 2 * Messages.MAC_SIZE || off < 0 || off > msg.length - len) {
            return false;
        }
        byte[] cookie = new byte[Blake2s.MAC_LENGTH];
        synchronized (this) {
            if (!secretSet || clock.nanoTime() - secretSetAt > COOKIE_REFRESH_NANOS) {
                return false;
            }
            Blake2s.mac(secret, source, 0, source.length, cookie, 0);
        }
        int macOff = off + Messages.mac2Offset(len);
        byte[] mac = new byte[Blake2s.MAC_LENGTH];
        Blake2s.mac(cookie, msg, off, macOff - off, mac, 0);
        return CookieKeys.macEquals(mac, 0, msg, macOff);
    }

    /**
     * Writes a 64-byte cookie reply to the handshake message in {@code msg[off..off+len)} into
     * {@code out[outOff..)}: addressed to the message's sender index, carrying the cookie for
     * {@code source} encrypted under the message's mac1. Returns the reply length.
     */
    public int createReply(byte[] msg, int off, int len, byte[] source, byte[] out, int outOff) {
        byte[] cookie = new byte[Blake2s.MAC_LENGTH];
        synchronized (this) {
            long now = clock.nanoTime();
            if (!secretSet || now - secretSetAt > COOKIE_REFRESH_NANOS) {
                random.nextBytes(secret);
                secretSetAt = now;
                secretSet = true;
            }
            Blake2s.mac(secret, source, 0, source.length, cookie, 0);
        }
        int sender = Messages.readInt(msg, off + 4);
        Messages.writeHeader(out, outOff, Messages.TYPE_COOKIE_REPLY);
        Messages.writeInt(out, outOff + Messages.COOKIE_REPLY_RECEIVER, sender);
        byte[] nonce = new byte[XChaChaPoly.NONCE_LENGTH];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, outOff + Messages.COOKIE_REPLY_NONCE, XChaChaPoly.NONCE_LENGTH);
        byte[] mac1 = java.util.Arrays.copyOfRange(msg, off + Messages.mac1Offset(len), off + Messages.mac2Offset(len));
        XChaChaPoly.seal(keys.cookieKey, nonce, 0, mac1, cookie, 0, cookie.length, out, outOff + Messages.COOKIE_REPLY_COOKIE);
        return Messages.COOKIE_REPLY_SIZE;
    }
}
