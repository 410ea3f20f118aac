package net.weft.crypto.cookie;

import net.weft.crypto.Clock;
import net.weft.crypto.Protocol;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.primitive.Blake2s;
import net.weft.crypto.primitive.XChaChaPoly;

/**
 * The sending side of mac1, mac2 and cookies, one per peer: stamps our handshake messages with
 * mac1 (keyed by the peer's public key) and, while we hold a cookie from the peer younger than
 * {@link Protocol#COOKIE_REFRESH_TIME}, with mac2. Accepts a cookie reply only for the last
 * message we sent. State is guarded by this object's lock.
 */
public final class CookieGenerator {

    private final CookieKeys keys;
    private final Clock clock;
    /** Guarded by {@code this}. */
    private final byte[] cookie = new byte[Blake2s.MAC_LENGTH];
    private long cookieSetAt;
    private boolean hasCookie;
    private final byte[] lastMac1 = new byte[Blake2s.MAC_LENGTH];
    private boolean hasLastMac1;

    public CookieGenerator(PublicKey remotePublicKey, Clock clock) {
        this.keys = new CookieKeys(remotePublicKey);
        this.clock = clock;
    }

    /** Writes mac1 and mac2 (zeros when we hold no fresh cookie) into the message's last 32 bytes. */
    public synchronized void addMacs(byte[] msg, int off, int len) {
        int mac1Off = off + Messages.mac1Offset(len);
        int mac2Off = off + Messages.mac2Offset(len);
        Blake2s.mac(keys.mac1Key, msg, off, mac1Off - off, msg, mac1Off);
        System.arraycopy(msg, mac1Off, lastMac1, 0, Blake2s.MAC_LENGTH);
        hasLastMac1 = true;
        if (hasCookie && clock.nanoTime() - cookieSetAt <= CookieChecker.COOKIE_REFRESH_NANOS) {
            Blake2s.mac(cookie, msg, off, mac2Off - off, msg, mac2Off);
        } else {
            java.util.Arrays.fill(msg, mac2Off, mac2Off + Blake2s.MAC_LENGTH, (byte) 0);
        }
    }

    /**
     * Consumes the cookie reply in {@code msg[off..off+64)} (already classified): decrypts the
     * cookie with our last mac1 as associated data. Returns {@code false}, changing nothing, when
     * it does not authenticate or we sent nothing it could answer.
     */
    public synchronized boolean consumeReply(byte[] msg, int off, int len) {
        if (!hasLastMac1 || len != Messages.COOKIE_REPLY_SIZE) {
            return false;
        }
        byte[] plain = new byte[Blake2s.MAC_LENGTH];
        int n = XChaChaPoly.open(keys.cookieKey, msg, off + Messages.COOKIE_REPLY_NONCE, lastMac1,
                msg, off + Messages.COOKIE_REPLY_COOKIE, Blake2s.MAC_LENGTH + XChaChaPoly.TAG_LENGTH, plain, 0);
        if (n != Blake2s.MAC_LENGTH) {
            return false;
        }
        System.arraycopy(plain, 0, cookie, 0, Blake2s.MAC_LENGTH);
        cookieSetAt = clock.nanoTime();
        hasCookie = true;
        hasLastMac1 = false;
        return true;
    }

    /** True while we hold a cookie fresh enough to compute mac2. */
    public synchronized boolean hasFreshCookie() {
        return hasCookie && clock.nanoTime() - cookieSetAt <= CookieChecker.COOKIE_REFRESH_NANOS;
    }
}
