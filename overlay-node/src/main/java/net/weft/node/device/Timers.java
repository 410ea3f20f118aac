package net.weft.node.device;

import java.util.concurrent.ThreadLocalRandom;
import net.weft.crypto.Protocol;

/**
 * One peer's five protocol timers (whitepaper section 6, wireguard-go's timers.go), kept as
 * deadlines on {@link net.weft.crypto.Clock#nanoTime()} rather than as scheduled tasks.
 *
 * <p>Design: the packet paths only move deadlines (a few field writes under this object's lock,
 * no allocation, no scheduler call), and one place, {@link Device#runTimers()}, compares every
 * peer's deadlines with the clock and runs what expired. The device's timer thread calls it every
 * {@link DeviceOptions#timerTickMillis()} (100 ms by default, well within the 333 ms jitter); tests
 * with a fake clock advance the clock and call it themselves, so every timer fires
 * deterministically. {@link #takeExpired} clears the flags of what it returns under the lock and
 * the device runs the expirations outside it, so a timer firing can send packets without holding
 * this lock.
 *
 * <ul>
 *   <li>retransmit handshake: REKEY_TIMEOUT plus up to 333 ms after an initiation; retries until
 *       REKEY_ATTEMPT_TIME, then gives up and drops the staged packets.
 *   <li>send keepalive: KEEPALIVE_TIMEOUT after data arrived and nothing authenticated was sent back.
 *   <li>new handshake: KEEPALIVE_TIMEOUT + REKEY_TIMEOUT (plus jitter) after data was sent and
 *       nothing authenticated came back.
 *   <li>zero key material: 3 x REJECT_AFTER_TIME after a session was derived.
 *   <li>persistent keepalive: the configured interval after any authenticated packet either way.
 * </ul>
 */
final class Timers {

    static final long REKEY_TIMEOUT = Protocol.REKEY_TIMEOUT.toNanos();
    static final long KEEPALIVE_TIMEOUT = Protocol.KEEPALIVE_TIMEOUT.toNanos();
    static final long REKEY_AFTER_TIME = Protocol.REKEY_AFTER_TIME.toNanos();
    static final long REJECT_AFTER_TIME = Protocol.REJECT_AFTER_TIME.toNanos();
    static final long ZERO_KEYS_AFTER = 3 * REJECT_AFTER_TIME;
    /** REKEY_ATTEMPT_TIME / REKEY_TIMEOUT: 18 retries after the first initiation. */
    static final int MAX_TIMER_HANDSHAKES = (int) (Protocol.REKEY_ATTEMPT_TIME.toSeconds() / Protocol.REKEY_TIMEOUT.toSeconds());
    /** Retransmits and new-handshake deadlines get up to this much random delay (wireguard-go: 334 ms exclusive). */
    static final int JITTER_MAX_MILLIS = 334;

    static final int RETRANSMIT_HANDSHAKE = 1;
    static final int SEND_KEEPALIVE = 2;
    static final int NEW_HANDSHAKE = 4;
    static final int ZERO_KEY_MATERIAL = 8;
    static final int PERSISTENT_KEEPALIVE = 16;

    // all guarded by this
    private int pending;
    private long retransmitHandshakeAt;
    private long sendKeepaliveAt;
    private long newHandshakeAt;
    private long zeroKeyMaterialAt;
    private long persistentKeepaliveAt;
    private int handshakeAttempts;
    private boolean needAnotherKeepalive;
    private boolean sentLastMinuteHandshake;
    /** Seconds, 0 when off; written by configuration. */
    private int persistentKeepaliveSeconds;

    private static long jitter() {
        return ThreadLocalRandom.current().nextInt(JITTER_MAX_MILLIS) * 1_000_000L;
    }

    synchronized void persistentKeepalive(int seconds) {
        persistentKeepaliveSeconds = seconds;
        if (seconds == 0) {
            pending &= ~PERSISTENT_KEEPALIVE;
        }
    }

    synchronized int persistentKeepaliveSeconds() {
        return persistentKeepaliveSeconds;
    }

    private void traversal(long now) {
        if (persistentKeepaliveSeconds > 0) {
            pending |= PERSISTENT_KEEPALIVE;
            persistentKeepaliveAt = now + persistentKeepaliveSeconds * 1_000_000_000L;
        }
    }

    /**
     * An authenticated packet went out (wireguard-go: AnyAuthenticatedPacketTraversal,
     * AnyAuthenticatedPacketSent and, for {@code data}, DataSent).
     */
    synchronized void packetSent(long now, boolean data) {
        traversal(now);
        pending &= ~SEND_KEEPALIVE;
        if (data && (pending & NEW_HANDSHAKE) == 0) {
            pending |= NEW_HANDSHAKE;
            newHandshakeAt = now + KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter();
        }
    }

    /**
     * An authenticated packet came in (AnyAuthenticatedPacketTraversal,
     * AnyAuthenticatedPacketReceived and, for {@code data}, DataReceived).
     */
    synchronized void packetReceived(long now, boolean data) {
        traversal(now);
        pending &= ~NEW_HANDSHAKE;
        if (data) {
            if ((pending & SEND_KEEPALIVE) == 0) {
                pending |= SEND_KEEPALIVE;
                sendKeepaliveAt = now + KEEPALIVE_TIMEOUT;
            } else {
                needAnotherKeepalive = true;
            }
        }
    }

    /** We sent an initiation: retransmit it unless answered. */
    synchronized void handshakeInitiated(long now) {
        pending |= RETRANSMIT_HANDSHAKE;
        retransmitHandshakeAt = now + REKEY_TIMEOUT + jitter();
    }

    /** A handshake completed: stop retransmitting, reset the attempt count. */
    synchronized void handshakeComplete() {
        pending &= ~RETRANSMIT_HANDSHAKE;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    /** A session was derived: its keys are erased after 3 x REJECT_AFTER_TIME unless a newer one comes. */
    synchronized void sessionDerived(long now) {
        pending |= ZERO_KEY_MATERIAL;
        zeroKeyMaterialAt = now + ZERO_KEYS_AFTER;
    }

    /** A fresh (not retried) initiation starts the attempt count again. */
    synchronized void resetHandshakeAttempts() {
        handshakeAttempts = 0;
    }

    /** Counts one more retry; false once MAX_TIMER_HANDSHAKES were made (give up). */
    synchronized boolean retryHandshake() {
        if (handshakeAttempts > MAX_TIMER_HANDSHAKES) {
            return false;
        }
        handshakeAttempts++;
        return true;
    }

    /** After giving up: no keepalive, and erase the partial state later unless already scheduled. */
    synchronized void gaveUp(long now) {
        pending &= ~SEND_KEEPALIVE;
        if ((pending & ZERO_KEY_MATERIAL) == 0) {
            pending |= ZERO_KEY_MATERIAL;
            zeroKeyMaterialAt = now + ZERO_KEYS_AFTER;
        }
    }

    /** After the keepalive timer sent one: when data arrived meanwhile, another is due KEEPALIVE_TIMEOUT later. */
    synchronized void keepaliveSent(long now) {
        if (needAnotherKeepalive) {
            needAnotherKeepalive = false;
            pending |= SEND_KEEPALIVE;
            sendKeepaliveAt = now + KEEPALIVE_TIMEOUT;
        }
    }

    /**
     * The initiator's last-minute rekey on receive (keepKeyFreshReceiving): true exactly once per
     * session, when the caller should send an initiation.
     */
    synchronized boolean takeLastMinuteHandshake() {
        if (sentLastMinuteHandshake) {
            return false;
        }
        sentLastMinuteHandshake = true;
        return true;
    }

    /** Stops every timer (peer removed, device closed). */
    synchronized void stop() {
        pending = 0;
        needAnotherKeepalive = false;
    }

    /** The timers whose deadline is at or before {@code now}, as a bit set; their flags are cleared. */
    synchronized int takeExpired(long now) {
        int due = 0;
        int p = pending;
        if ((p & RETRANSMIT_HANDSHAKE) != 0 && now - retransmitHandshakeAt >= 0) {
            due |= RETRANSMIT_HANDSHAKE;
        }
        if ((p & SEND_KEEPALIVE) != 0 && now - sendKeepaliveAt >= 0) {
            due |= SEND_KEEPALIVE;
        }
        if ((p & NEW_HANDSHAKE) != 0 && now - newHandshakeAt >= 0) {
            due |= NEW_HANDSHAKE;
        }
        if ((p & ZERO_KEY_MATERIAL) != 0 && now - zeroKeyMaterialAt >= 0) {
            due |= ZERO_KEY_MATERIAL;
        }
        if ((p & PERSISTENT_KEEPALIVE) != 0 && now - persistentKeepaliveAt >= 0) {
            due |= PERSISTENT_KEEPALIVE;
        }
        pending = p & ~due;
        return due;
    }

    /** For tests: whether a timer is armed. */
    synchronized boolean isPending(int timer) {
        return (pending & timer) != 0;
    }
}
