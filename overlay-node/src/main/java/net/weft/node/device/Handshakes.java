package net.weft.node.device;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import net.weft.crypto.Clock;
import net.weft.crypto.cookie.CookieChecker;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.noise.LocalIdentity;

/**
 * Handshake messages both ways (wireguard-go's noise-protocol.go and the handshake half of
 * receive.go and send.go): initiations, responses and cookie replies; mac1 always, mac2 and the
 * per-source rate limit under load; deriving sessions into the keypair slots.
 *
 * <p>Handshakes run inline on the thread that needs them: the receive thread for incoming
 * messages, the TUN reader (first packet, rekey), or the timer thread (retries). Each peer's
 * handshake is guarded by {@link Peer#handshakeLock}. Handshake messages are rare, so this class
 * allocates freely (message arrays, cookie sources); the transport paths never come here except
 * to start an initiation.
 *
 * <p>Under load: handshakes cost about 0.3 ms of CPU each. The device counts the initiations and
 * responses it receives per second; above {@link DeviceOptions#underLoadHandshakesPerSecond()} it
 * is under load for the next second (UnderLoadAfterTime in wireguard-go), and then a message needs
 * a valid mac2 (else it gets a cookie reply) and passes a per-source token bucket.
 */
final class Handshakes {

    private static final long SECOND = 1_000_000_000L;

    private final Device device;
    private final Clock clock;
    private final DeviceCounters counters;
    private final RateLimiter rateLimiter = new RateLimiter();

    // under-load accounting, guarded by this
    private long windowStart;
    private int windowCount;
    private boolean windowStarted;
    private long underLoadUntil;
    private boolean underLoadSet;

    Handshakes(Device device) {
        this.device = device;
        this.clock = device.clock;
        this.counters = device.counters;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** Counts one received handshake message and says whether the device is under load. */
    synchronized boolean underLoad(long now) {
        int threshold = device.options.underLoadHandshakesPerSecond();
        if (threshold == 0) {
            return true;
        }
        if (!windowStarted || now - windowStart >= SECOND) {
            windowStarted = true;
            windowStart = now;
            windowCount = 0;
        }
        windowCount++;
        if (windowCount > threshold) {
            underLoadSet = true;
            underLoadUntil = now + SECOND;
        }
        return underLoadSet && now - underLoadUntil < 0;
    }

    // ---- initiator ------------------------------------------------------------------------------

    /**
     * Sends an initiation to {@code peer} unless one went out less than REKEY_TIMEOUT ago.
     * {@code retry} keeps the attempt count (the retransmit timer); anything else starts it over.
     */
    void sendInitiation(Peer peer, boolean retry) {
        Device.Local local = device.local;
        if (local == null || peer.removed) {
            return;
        }
        long now = clock.nanoTime();
        byte[] msg;
        peer.handshakeLock.lock();
        try {
            if (!retry) {
                peer.timers.resetHandshakeAttempts();
            }
            if (peer.sentHandshakeBefore && now - peer.lastSentHandshake < Timers.REKEY_TIMEOUT) {
                return;
            }
            Handshake h = peer.handshake;
            if (h == null || peer.handshakeIdentity != local.identity()) {
                return;
            }
            peer.lastSentHandshake = now;
            peer.sentHandshakeBefore = true;
            releaseHandshakeIndex(peer);
            int index = device.indexTable.newHandshakeIndex(peer);
            msg = new byte[Messages.INITIATION_SIZE];
            if (!h.createInitiation(index, msg, 0)) {
                // the peer's public key is a low-order point: no handshake is possible
                device.indexTable.remove(index);
                return;
            }
            peer.handshakeIndex = index;
            peer.hasHandshakeIndex = true;
            peer.cookieGenerator.addMacs(msg, 0, msg.length);
        } finally {
            peer.handshakeLock.unlock();
        }
        peer.timers.packetSent(now, false);
        InetSocketAddress ep = peer.endpoint;
        if (ep != null) {
            device.bind.send(ByteBuffer.wrap(msg), ep);
            device.bind.flush();
            peer.txBytes.addAndGet(msg.length);
            counters.handshake(DeviceCounters.Handshake.INITIATION_SENT);
        }
        peer.timers.handshakeInitiated(now);
    }

    /** Frees the index of a handshake in flight. Caller holds the peer's handshake lock. */
    void releaseHandshakeIndex(Peer peer) {
        if (peer.hasHandshakeIndex) {
            device.indexTable.remove(peer.handshakeIndex);
            peer.hasHandshakeIndex = false;
        }
    }

    // ---- receive --------------------------------------------------------------------------------

    /** A handshake message of {@code type} at {@code msg[off..off+len)} (classified) from {@code source}. */
    void receive(int type, byte[] msg, int off, int len, InetSocketAddress source) {
        Device.Local local = device.local;
        if (local == null) {
            counters.drop(DropReason.NO_PRIVATE_KEY);
            return;
        }
        if (type == Messages.TYPE_COOKIE_REPLY) {
            receiveCookieReply(msg, off, len);
            return;
        }
        CookieChecker checker = local.cookieChecker();
        if (!checker.checkMac1(msg, off, len)) {
            counters.drop(DropReason.INVALID_MAC1);
            return;
        }
        long now = clock.nanoTime();
        if (underLoad(now)) {
            byte[] src = sourceBytes(source);
            if (!checker.checkMac2(msg, off, len, src)) {
                byte[] reply = new byte[Messages.COOKIE_REPLY_SIZE];
                checker.createReply(msg, off, len, src, reply, 0);
                device.bind.send(ByteBuffer.wrap(reply), source);
                device.bind.flush();
                counters.handshake(DeviceCounters.Handshake.COOKIE_REPLY_SENT);
                counters.drop(DropReason.COOKIE_REQUIRED);
                return;
            }
            if (!rateLimiter.allow(source.getAddress(), now)) {
                counters.drop(DropReason.RATE_LIMITED);
                return;
            }
        }
        if (type == Messages.TYPE_INITIATION) {
            receiveInitiation(local, msg, off, len, source, now);
        } else {
            receiveResponse(local, msg, off, len, source, now);
        }
    }

    private void receiveCookieReply(byte[] msg, int off, int len) {
        Peer peer = device.indexTable.peer(Messages.readInt(msg, off + Messages.COOKIE_REPLY_RECEIVER));
        if (peer == null || !peer.cookieGenerator.consumeReply(msg, off, len)) {
            counters.drop(DropReason.INVALID_COOKIE_REPLY);
            return;
        }
        counters.handshake(DeviceCounters.Handshake.COOKIE_REPLY_RECEIVED);
    }

    private void receiveInitiation(Device.Local local, byte[] msg, int off, int len, InetSocketAddress source, long now) {
        LocalIdentity identity = local.identity();
        Peer[] locked = new Peer[1];
        byte[] response;
        Peer peer;
        try {
            Handshake h = Handshake.consumeInitiation(identity, msg, off, key -> {
                Peer p = device.peer(key);
                if (p == null || p.removed) {
                    return null;
                }
                p.handshakeLock.lock();
                locked[0] = p;
                return p.handshakeIdentity == identity ? p.handshake : null;
            });
            if (h == null) {
                counters.drop(DropReason.INVALID_HANDSHAKE);
                return;
            }
            peer = locked[0];
            peer.endpoint = source;
            peer.rxBytes.addAndGet(len);
            peer.timers.packetReceived(now, false);

            releaseHandshakeIndex(peer);
            int index = device.indexTable.newHandshakeIndex(peer);
            response = new byte[Messages.RESPONSE_SIZE];
            if (!h.createResponse(index, response, 0)) {
                device.indexTable.remove(index);
                counters.drop(DropReason.INVALID_HANDSHAKE);
                return;
            }
            peer.cookieGenerator.addMacs(response, 0, response.length);
            Keypair keypair = h.deriveKeypair();
            peer.lastSentHandshake = now;
            peer.sentHandshakeBefore = true;
            beginSession(peer, keypair, index);
        } finally {
            if (locked[0] != null) {
                locked[0].handshakeLock.unlock();
            }
        }
        peer.timers.sessionDerived(now);
        peer.timers.packetSent(now, false);
        device.bind.send(ByteBuffer.wrap(response), source);
        device.bind.flush();
        peer.txBytes.addAndGet(response.length);
        counters.handshake(DeviceCounters.Handshake.RESPONSE_SENT);
    }

    private void receiveResponse(Device.Local local, byte[] msg, int off, int len, InetSocketAddress source, long now) {
        Peer peer = device.indexTable.handshakePeer(Messages.readInt(msg, off + Messages.RESPONSE_RECEIVER));
        if (peer == null || peer.removed) {
            counters.drop(DropReason.INVALID_HANDSHAKE);
            return;
        }
        peer.handshakeLock.lock();
        try {
            Handshake h = peer.handshake;
            if (h == null || peer.handshakeIdentity != local.identity() || !peer.hasHandshakeIndex
                    || !h.consumeResponse(msg, off)) {
                counters.drop(DropReason.INVALID_HANDSHAKE);
                return;
            }
            Keypair keypair = h.deriveKeypair();
            int index = peer.handshakeIndex;
            beginSession(peer, keypair, index);
        } finally {
            peer.handshakeLock.unlock();
        }
        peer.endpoint = source;
        peer.rxBytes.addAndGet(len);
        peer.timers.packetReceived(now, false);
        peer.timers.sessionDerived(now);
        handshakeComplete(peer);
        device.send.sendKeepalive(peer);
    }

    /**
     * Installs a derived keypair: the handshake's index now names the session, and older sessions
     * that fall out of the slots are erased. Caller holds the peer's handshake lock.
     */
    private void beginSession(Peer peer, Keypair keypair, int index) {
        Session s = new Session(keypair, peer);
        peer.hasHandshakeIndex = false;
        device.indexTable.swapToSession(index, s);
        List<Session> dropped = peer.keypairs.install(s, keypair.isInitiator());
        for (Session d : dropped) {
            device.erase(d);
        }
    }

    /** A handshake completed: timers, the last-handshake time, the counter. */
    void handshakeComplete(Peer peer) {
        peer.timers.handshakeComplete();
        java.time.Instant t = clock.now();
        peer.lastHandshakeEpochNanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        counters.handshake(DeviceCounters.Handshake.COMPLETED);
    }

    /** The cookie is bound to the source address and port: 4 or 16 address bytes, then the port. */
    static byte[] sourceBytes(InetSocketAddress source) {
        byte[] a = source.getAddress().getAddress();
        byte[] out = new byte[a.length + 2];
        System.arraycopy(a, 0, out, 0, a.length);
        out[a.length] = (byte) (source.getPort() >>> 8);
        out[a.length + 1] = (byte) source.getPort();
        return out;
    }
}
