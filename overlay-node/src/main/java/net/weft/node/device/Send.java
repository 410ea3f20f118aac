package net.weft.node.device;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import net.weft.crypto.Clock;
import net.weft.crypto.Protocol;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.primitive.ChaChaPoly;
import net.weft.node.tun.Tun;

/**
 * Outbound flow, one packet at a time on the TUN reader thread:
 *
 * <ol>
 *   <li>Read a packet from the TUN into the reader's buffer, 16 bytes in, leaving room for the
 *       transport header.
 *   <li>Route: the longest allowed-IPs prefix containing the destination names the peer (none:
 *       drop, {@link DropReason#NO_ROUTE}).
 *   <li>Without a usable keypair (none yet, older than REJECT_AFTER_TIME, or out of counters),
 *       stage a copy on the peer and start a handshake; the staged packets go out when it
 *       completes.
 *   <li>Take the next counter, pad the payload to a multiple of 16 (within the MTU), seal it in
 *       place, write the header in front, and hand the message to the bind for the peer's
 *       endpoint.
 *   <li>Move the timers, and start a rekey when the keypair is old (REKEY_AFTER_TIME, initiator
 *       only) or has sent REKEY_AFTER_MESSAGES.
 * </ol>
 *
 * <p>The stages are {@link #prepare} (1 to 3, on the reader), {@link #seal} (4) and
 * {@link #transmit} (4 and 5). Forwarded packets ({@link #forward}, from {@link Receive}) join at
 * step 3 with their peer already known and go through the same stages. By default the stages run
 * back to back on the reader thread, which keeps every peer's packets in the order they were read;
 * the bind's receive thread may take the reader's place for a few packets right after it wrote to
 * the TUN ({@link #readAfterWrite}), under the same read permission, so the order holds.
 * With {@link CryptoWorkers} the reader reads into a ring slot and publishes it after
 * {@link #prepare}; workers seal in parallel, and {@link #transmit} runs in ring order. The steady
 * state allocates nothing here: a reusable {@link Packet} (or ring slot) and the thread's own
 * {@link ChaChaPoly}. Staged packets (before a handshake) and keepalives are sealed inline on
 * whichever thread sends them; those are copies or the thread's own small buffer.
 */
final class Send {

    /** Room in front of a payload for the transport header. */
    static final int HEADER_ROOM = Messages.TRANSPORT_HEADER_SIZE;
    /** Room behind a payload for padding (at most 15 bytes) and the tag. */
    static final int TRAILER_ROOM = Messages.PADDING_MULTIPLE + Messages.TAG_SIZE;
    static final int BUFFER_SIZE = HEADER_ROOM + Tun.MAX_PACKET + TRAILER_ROOM;

    /** A keepalive is a transport message with an empty payload. */
    private static final ThreadLocal<byte[]> KEEPALIVE = ThreadLocal.withInitial(() -> new byte[Messages.TRANSPORT_MIN_SIZE]);
    private static final ThreadLocal<ByteBuffer> KEEPALIVE_VIEW = ThreadLocal.withInitial(() -> ByteBuffer.wrap(KEEPALIVE.get()));

    /** Packets the receive thread reads in the reader's place after one batch of TUN writes. */
    static final int READS_AFTER_WRITE = 16;
    private static final int TUN_EMPTY = 0;
    private static final int TUN_MORE = 1;
    private static final int TUN_GONE = -1;

    private final Device device;
    private final Clock clock;
    private final DeviceCounters counters;
    /**
     * Inline mode: who reads the TUN, the reader thread or, right after it wrote to the TUN, the
     * bind's receive thread ({@link #readAfterWrite}). The holder reads, seals and sends each packet
     * before the next read, so packets leave in the order they were read, and it alone uses
     * {@link #tunPacket} and {@link #readFailures}.
     */
    private final AtomicBoolean readPermission = new AtomicBoolean();
    /** The buffer TUN packets are read and sealed in, inline mode; null with crypto workers. */
    private final Packet tunPacket;
    /** Consecutive failed reads on the reader thread. */
    private int readFailures;

    Send(Device device) {
        this.device = device;
        this.clock = device.clock;
        this.counters = device.counters;
        this.tunPacket = device.options.cryptoWorkers() == 0 ? Packet.withBuffer(BUFFER_SIZE) : null;
    }

    /** The TUN reader thread's loop: until the TUN reports it is gone or the device closes. */
    void runReader() {
        if (device.workers != null) {
            runRingReader(device.workers.outbound);
        } else {
            runInlineReader();
        }
        device.readerStopped();
    }

    /**
     * Inline mode: take the read permission, read, seal and send until the TUN is empty, let the
     * permission go, sleep until the TUN is readable. The bind's receive thread may hold the
     * permission meanwhile ({@link #readAfterWrite}); it lets go after a few packets.
     */
    private void runInlineReader() {
        ChaChaPoly aead = ChaChaPoly.get();
        Tun tun = device.tun;
        while (!device.isClosing()) {
            if (!readPermission.compareAndSet(false, true)) {
                Thread.yield();
                continue;
            }
            int status;
            try {
                status = drain(Integer.MAX_VALUE, aead, true);
            } finally {
                readPermission.set(false);
            }
            if (status == TUN_GONE) {
                return;
            }
            if (status == TUN_EMPTY) {
                try {
                    if (!tun.awaitReadable()) {
                        return;
                    }
                } catch (IOException e) {
                    if (device.isClosing() || !readFailed(e)) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Called by the bind's receive thread at the end of a batch in which it wrote to the TUN. What
     * the kernel answered while taking those packets (an echo reply, a TCP ack) is usually queued
     * on the TUN already; when the reader thread is idle, reading it here sends it without waiting
     * for that thread to wake, which is one thread hand-off less per round trip. At most
     * {@value #READS_AFTER_WRITE} packets; inline mode only.
     */
    void readAfterWrite() {
        if (tunPacket == null || device.isClosing() || !readPermission.compareAndSet(false, true)) {
            return;
        }
        try {
            drain(READS_AFTER_WRITE, ChaChaPoly.get(), false);
        } finally {
            readPermission.set(false);
        }
    }

    /**
     * With the read permission held: reads, seals and sends TUN packets until none is waiting
     * ({@link #TUN_EMPTY}), {@code limit} were read ({@link #TUN_MORE}) or the TUN is gone or keeps
     * failing ({@link #TUN_GONE}). Read failures are the reader thread's to judge; another thread
     * stops at the first.
     */
    private int drain(int limit, ChaChaPoly aead, boolean reader) {
        Packet p = tunPacket;
        for (int read = 0; read < limit; read++) {
            p.view.clear().position(HEADER_ROOM);
            int n;
            try {
                n = device.tun.tryRead(p.view);
            } catch (IOException e) {
                if (device.isClosing()) {
                    return TUN_GONE;
                }
                if (!reader) {
                    device.logRateLimited("TUN read failed", e);
                    return TUN_MORE;
                }
                return readFailed(e) ? TUN_MORE : TUN_GONE;
            } catch (RuntimeException e) {
                if (device.isClosing()) {
                    return TUN_GONE;
                }
                throw e;
            }
            if (n < 0) {
                return TUN_GONE;
            }
            if (n == 0) {
                return TUN_EMPTY;
            }
            if (reader) {
                readFailures = 0;
            } else {
                counters.readAfterWrite();
            }
            p.length = n;
            try {
                if (prepare(p)) {
                    seal(p, aead);
                    transmit(p);
                    device.bind.flush();
                }
            } catch (RuntimeException e) {
                device.internalError(e);
            } finally {
                p.clear();
            }
        }
        return TUN_MORE;
    }

    /** Reader thread: counts a failed read; false (and logged) when reads keep failing and the device should stop. */
    private boolean readFailed(IOException e) {
        if (++readFailures > 100) {
            device.log(System.Logger.Level.ERROR, "TUN read keeps failing; closing the device", e);
            return false;
        }
        device.logRateLimited("TUN read failed", e);
        return true;
    }

    /** With {@link CryptoWorkers}: the reader is the outbound ring's only producer. */
    private void runRingReader(CryptoWorkers.Ring ring) {
        Tun tun = device.tun;
        while (!device.isClosing()) {
            Packet p = ring.nextFree();
            if (p == null) {
                return;
            }
            p.view.clear().position(HEADER_ROOM);
            int n;
            try {
                n = tun.read(p.view);
            } catch (IOException e) {
                if (device.isClosing() || !readFailed(e)) {
                    return;
                }
                continue;
            } catch (RuntimeException e) {
                if (device.isClosing()) {
                    return;
                }
                throw e;
            }
            if (n < 0) {
                return;
            }
            readFailures = 0;
            if (n == 0) {
                continue;
            }
            p.length = n;
            try {
                if (prepare(p)) {
                    ring.publish(p);
                }
            } catch (RuntimeException e) {
                device.internalError(e);
            }
        }
    }

    /**
     * Stage one, sequential: routes the IP packet at {@code p.data[16..16+p.length)}, picks and
     * acquires the peer's session and takes its next counter. Returns false when the packet was
     * dropped or staged for a handshake instead.
     */
    boolean prepare(Packet p) {
        byte[] buffer = p.data;
        int n = p.length;
        if (device.local == null) {
            counters.drop(DropReason.NO_PRIVATE_KEY);
            return false;
        }
        int version = ipVersion(buffer, HEADER_ROOM, n);
        if (version == 0) {
            counters.drop(DropReason.INVALID_OUTBOUND_PACKET);
            return false;
        }
        Peer peer = device.allowedIps.lookupDestination(buffer, HEADER_ROOM, version);
        if (peer == null) {
            counters.drop(DropReason.NO_ROUTE);
            return false;
        }
        return claim(p, peer, buffer, HEADER_ROOM, n);
    }

    /**
     * Stage one after routing, for the TUN path and forwarding alike: acquires {@code peer}'s
     * session and takes its next counter into {@code p}. Without a usable keypair it stages a copy
     * of the IP packet at {@code b[at..at+n)}, starts a handshake and returns false.
     */
    private boolean claim(Packet p, Peer peer, byte[] b, int at, int n) {
        long now = clock.nanoTime();
        Session s = acquireUsable(peer, now);
        long counter = s == null ? -1 : s.keypair.nextSendCounter();
        if (counter < 0) {
            if (s != null) {
                s.release();
            }
            if (peer.stage(b, at, n)) {
                counters.drop(DropReason.STAGED_OVERFLOW);
            }
            device.handshakes.sendInitiation(peer, false);
            return false;
        }
        p.peer = peer;
        p.session = s;
        p.counter = counter;
        p.now = now;
        return true;
    }

    /**
     * Forwarding: the decrypted IP packet at {@code in.data[at..at+length)}, already checked by
     * {@link Receive}, goes to {@code to} through the same stages as a packet from the TUN. Inline,
     * it is sealed where it lies: the 16 bytes in front held its transport header, and the tag
     * behind it leaves room for ours (padding shrinks to the room there is). With
     * {@link CryptoWorkers} it is copied into a slot of the forward ring, whose workers seal and
     * send in ring order; the caller then is the inbound ring's completer and so the ring's only
     * producer. Runs on the thread that finishes received packets, in their order.
     */
    void forward(Packet in, int at, int length, Peer to) {
        if (length > device.mtu) {
            counters.drop(DropReason.FORWARD_TOO_BIG);
            return;
        }
        counters.forwarded(length);
        CryptoWorkers.Ring ring = device.workers == null ? null : device.workers.forward;
        if (ring == null) {
            in.offset = at - HEADER_ROOM;
            in.length = length;
            if (claim(in, to, in.data, at, length)) {
                seal(in, ChaChaPoly.get());
                // no flush: the bind flushes what its receiver sent by the end of the receive batch
                transmit(in);
            }
            return;
        }
        Packet p = ring.nextFree(ChaChaPoly.get());
        if (p == null || !claim(p, to, in.data, at, length)) {
            return;
        }
        p.ensureCapacity(HEADER_ROOM + length + TRAILER_ROOM);
        System.arraycopy(in.data, at, p.data, HEADER_ROOM, length);
        p.offset = 0;
        p.length = length;
        ring.publish(p);
    }

    /**
     * Stage two, any thread: pads and seals in place, then releases the session. Padding stops
     * where the buffer does (a forwarded packet sealed in a received datagram's buffer).
     */
    void seal(Packet p, ChaChaPoly aead) {
        try {
            int room = p.end - p.offset - HEADER_ROOM - Messages.TAG_SIZE;
            int padded = Math.min(Messages.paddedLength(p.length, device.mtu), room);
            p.result = p.session.keypair.seal(aead, p.counter, p.data, p.offset, p.length, padded);
        } finally {
            p.session.release();
        }
    }

    /** Stage three, in order: hands the message to the bind (without flushing), counts, moves timers. */
    void transmit(Packet p) {
        Peer peer = p.peer;
        InetSocketAddress ep = peer.endpoint;
        if (ep == null) {
            counters.drop(DropReason.NO_ENDPOINT);
            return;
        }
        int start = p.offset - p.viewBase;
        ByteBuffer view = p.view;
        view.clear().position(start).limit(start + p.result);
        device.bind.send(view, ep);
        peer.txBytes.addAndGet(p.result);
        peer.timers.packetSent(p.now, true);
        keepKeyFresh(peer, p.session, p.counter, p.now);
    }

    /**
     * Sends what waited for a keypair, oldest first. Called when a session became usable, and by
     * keepalives. Stops, keeping the rest, when the keypair is unusable again.
     */
    void sendStaged(Peer peer) {
        ChaChaPoly aead = ChaChaPoly.get();
        while (true) {
            Peer.StagedPacket p = peer.pollStaged();
            if (p == null) {
                return;
            }
            long now = clock.nanoTime();
            Session s = acquireUsable(peer, now);
            long counter = s == null ? -1 : s.keypair.nextSendCounter();
            if (counter < 0) {
                if (s != null) {
                    s.release();
                }
                peer.unpollStaged(p);
                device.handshakes.sendInitiation(peer, false);
                return;
            }
            int length;
            try {
                int padded = p.length == 0 ? 0 : Messages.paddedLength(p.length, device.mtu);
                length = s.keypair.seal(aead, counter, p.buffer, 0, p.length, padded);
            } finally {
                s.release();
            }
            InetSocketAddress ep = peer.endpoint;
            if (ep == null) {
                counters.drop(DropReason.NO_ENDPOINT);
                continue;
            }
            device.bind.send(ByteBuffer.wrap(p.buffer, 0, length), ep);
            device.bind.flush();
            peer.txBytes.addAndGet(length);
            peer.timers.packetSent(now, p.length != 0);
            keepKeyFresh(peer, s, counter, now);
        }
    }

    /**
     * Sends a keepalive (an empty transport message), or the staged packets when there are some,
     * which serve as well. Without a usable keypair the keepalive is staged and a handshake starts.
     */
    void sendKeepalive(Peer peer) {
        if (device.local == null || peer.removed) {
            return;
        }
        if (peer.hasStaged()) {
            sendStaged(peer);
            return;
        }
        long now = clock.nanoTime();
        Session s = acquireUsable(peer, now);
        long counter = s == null ? -1 : s.keypair.nextSendCounter();
        if (counter < 0) {
            if (s != null) {
                s.release();
            }
            peer.stage(KEEPALIVE.get(), 0, 0);
            device.handshakes.sendInitiation(peer, false);
            return;
        }
        byte[] buffer = KEEPALIVE.get();
        int length;
        try {
            length = s.keypair.seal(ChaChaPoly.get(), counter, buffer, 0, 0, 0);
        } finally {
            s.release();
        }
        InetSocketAddress ep = peer.endpoint;
        if (ep == null) {
            return;
        }
        ByteBuffer view = KEEPALIVE_VIEW.get();
        view.clear().limit(length);
        device.bind.send(view, ep);
        device.bind.flush();
        peer.txBytes.addAndGet(length);
        peer.timers.packetSent(now, false);
        keepKeyFresh(peer, s, counter, now);
    }

    /**
     * The peer's current session, acquired, when it may send now; null otherwise. The caller
     * releases it right after sealing.
     */
    private static Session acquireUsable(Peer peer, long now) {
        Session s = peer.keypairs.current();
        if (s == null || !usable(s, now) || !s.acquire()) {
            return null;
        }
        return s;
    }

    /** A session may send: it exists, is younger than REJECT_AFTER_TIME and has counters left. */
    static boolean usable(Session s, long now) {
        return s != null && now - s.created < Timers.REJECT_AFTER_TIME
                && Long.compareUnsigned(s.keypair.peekSendCounter(), Protocol.REJECT_AFTER_MESSAGES) < 0;
    }

    /** wireguard-go's keepKeyFreshSending: rekey after REKEY_AFTER_MESSAGES, or REKEY_AFTER_TIME as initiator. */
    private void keepKeyFresh(Peer peer, Session s, long counter, long now) {
        Keypair k = s.keypair;
        if (Long.compareUnsigned(counter, Protocol.REKEY_AFTER_MESSAGES) > 0
                || (k.isInitiator() && now - s.created > Timers.REKEY_AFTER_TIME)) {
            device.handshakes.sendInitiation(peer, false);
        }
    }

    /** 4 or 6 for a packet long enough to hold its version's fixed header, 0 otherwise. */
    static int ipVersion(byte[] b, int off, int length) {
        if (length < 1) {
            return 0;
        }
        int v = (b[off] >> 4) & 0xf;
        if (v == 4 && length >= 20) {
            return 4;
        }
        if (v == 6 && length >= 40) {
            return 6;
        }
        return 0;
    }
}
