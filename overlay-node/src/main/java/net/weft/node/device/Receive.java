package net.weft.node.device;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import net.weft.crypto.Clock;
import net.weft.crypto.message.Messages;
import net.weft.crypto.primitive.ChaChaPoly;
import net.weft.node.conn.Bind;

/**
 * Inbound flow, inline on the bind's receive thread(s):
 *
 * <ol>
 *   <li>Classify the datagram; anything malformed is dropped and counted.
 *   <li>Handshake messages go to {@link Handshakes} (mac1, under load mac2 and the rate limit).
 *   <li>A transport message's receiver index names a session ({@link IndexTable}); a session older
 *       than REJECT_AFTER_TIME is refused.
 *   <li>Open it in place; only then check the counter against the replay window, so forged
 *       counters cannot move the window.
 *   <li>A first message on the responder's {@code next} keypair confirms it: it becomes current
 *       and the staged packets go out.
 *   <li>The peer's endpoint roams to the datagram's source (authenticated now); counters and
 *       timers move; the initiator rekeys a keypair close to REJECT_AFTER_TIME.
 *   <li>A keepalive ends here. A data packet must be IPv4 or IPv6, is trimmed to its header's
 *       length, and its source must lie in the sending peer's allowed IPs.
 *   <li>With forwarding on ({@link Device#setForwarding}), a destination that another peer's
 *       allowed IPs contain sends the packet on to that peer ({@link Send#forward}: staged for a
 *       handshake if need be, re-encrypted, no TUN round trip, TTL untouched); a destination that
 *       routes back to the sender is dropped. Anything else is written to the TUN.
 * </ol>
 *
 * <p>Stages: {@link #prepare} (3, on the receive thread), {@link #open} (4), {@link #finish}
 * (4 to 7, in arrival order). Inline (the default) they run back to back on the receive thread.
 * Heap buffers are then decrypted where they lie; a direct buffer (what Netty and the in-memory
 * bind hand over) is first copied into this thread's scratch array, one memcpy, because the
 * crypto module opens in place on arrays. With {@link CryptoWorkers} the datagram is copied into
 * a ring slot, workers open in parallel and {@link #finish} runs in ring order, so the replay
 * window and the TUN see each peer's packets in arrival order. Handshake messages are always
 * handled inline. Nothing is allocated per transport message.
 */
final class Receive implements Bind.Receiver {

    private static final int MAX_DATAGRAM = 65536;
    /** Per receive thread, inline mode: a datagram-sized array for direct buffers, and the packet context. */
    private static final ThreadLocal<Packet> SCRATCH = ThreadLocal.withInitial(() -> Packet.withBuffer(MAX_DATAGRAM));
    private static final ThreadLocal<Packet> IN_PLACE = ThreadLocal.withInitial(Packet::new);

    private final Device device;
    private final Clock clock;
    private final DeviceCounters counters;

    Receive(Device device) {
        this.device = device;
        this.clock = device.clock;
        this.counters = device.counters;
    }

    /**
     * The TUN was written during the current receive batch. A hint, written and read by the
     * receive thread; with more than one, a lost or extra hint costs only a read attempt.
     */
    private boolean wroteTun;

    @Override
    public void batchEnd() {
        if (wroteTun) {
            wroteTun = false;
            device.send.readAfterWrite();
        }
    }

    @Override
    public void receive(ByteBuffer packet, InetSocketAddress source) {
        try {
            int len = packet.remaining();
            if (len > MAX_DATAGRAM) {
                counters.drop(DropReason.MALFORMED);
                return;
            }
            CryptoWorkers.Ring ring = device.workers == null ? null : device.workers.inbound;
            Packet p;
            if (ring == null && packet.hasArray() && !packet.isReadOnly()) {
                // decrypt where it lies
                p = IN_PLACE.get();
                p.data = packet.array();
                p.viewBase = packet.arrayOffset();
                p.offset = p.viewBase + packet.position();
                p.end = p.offset + len;
                p.view = packet;
            } else {
                p = ring == null ? SCRATCH.get() : ring.nextFree();
                if (p == null) {
                    return;
                }
                p.ensureCapacity(len);
                packet.get(packet.position(), p.data, 0, len);
                p.offset = 0;
                p.viewBase = 0;
            }
            p.length = len;
            p.address = source;
            int type = Messages.classify(p.data, p.offset, len);
            switch (type) {
                case Messages.TYPE_TRANSPORT -> {
                    if (prepare(p)) {
                        if (ring != null) {
                            ring.publish(p);
                        } else {
                            open(p, ChaChaPoly.get());
                            finish(p);
                        }
                    }
                }
                case Messages.TYPE_INITIATION, Messages.TYPE_RESPONSE, Messages.TYPE_COOKIE_REPLY ->
                        device.handshakes.receive(type, p.data, p.offset, len, source);
                default -> counters.drop(DropReason.MALFORMED);
            }
            if (ring == null || p.state == Packet.FREE) {
                p.clear();
            }
        } catch (RuntimeException e) {
            device.internalError(e);
        }
    }

    /** Stage one, sequential: finds and acquires the session the receiver index names. */
    boolean prepare(Packet p) {
        if (device.local == null) {
            counters.drop(DropReason.NO_PRIVATE_KEY);
            return false;
        }
        Session s = device.indexTable.session(Messages.readInt(p.data, p.offset + Messages.TRANSPORT_RECEIVER));
        if (s == null) {
            counters.drop(DropReason.UNKNOWN_RECEIVER);
            return false;
        }
        long now = clock.nanoTime();
        if (now - s.created >= Timers.REJECT_AFTER_TIME) {
            counters.drop(DropReason.EXPIRED_KEYPAIR);
            return false;
        }
        if (!s.acquire()) {
            // erased this instant (rekey, key change, removal)
            counters.drop(DropReason.UNKNOWN_RECEIVER);
            return false;
        }
        p.session = s;
        p.now = now;
        p.counter = Messages.readLong(p.data, p.offset + Messages.TRANSPORT_COUNTER);
        return true;
    }

    /** Stage two, any thread: opens in place, then releases the session. */
    static void open(Packet p, ChaChaPoly aead) {
        try {
            p.result = p.session.keypair.open(aead, p.data, p.offset, p.length);
        } finally {
            p.session.release();
        }
    }

    /**
     * Stage three, in the order the datagrams arrived: the replay check, key confirmation,
     * counters, roaming, timers, the inner packet's checks and the TUN write or forwarding.
     */
    void finish(Packet p) {
        Session s = p.session;
        int plain = p.result;
        if (plain < 0) {
            counters.drop(DropReason.DECRYPTION_FAILED);
            return;
        }
        if (!s.acceptCounter(p.counter)) {
            counters.drop(DropReason.REPLAYED);
            return;
        }
        Peer peer = s.peer;
        long now = p.now;
        if (peer.keypairs.next() == s) {
            confirm(peer, s);
        }
        peer.rxBytes.addAndGet(p.length);
        InetSocketAddress source = p.address;
        InetSocketAddress ep = peer.endpoint;
        if (ep != source && (ep == null || !ep.equals(source))) {
            peer.endpoint = source;
        }
        if (s.keypair.isInitiator() && now - s.created > Timers.REJECT_AFTER_TIME - Timers.KEEPALIVE_TIMEOUT - Timers.REKEY_TIMEOUT
                && s == peer.keypairs.current() && peer.timers.takeLastMinuteHandshake()) {
            device.handshakes.sendInitiation(peer, false);
        }
        if (plain == 0) {
            peer.timers.packetReceived(now, false);
            return;
        }
        peer.timers.packetReceived(now, true);

        byte[] b = p.data;
        int at = p.offset + Messages.TRANSPORT_PAYLOAD;
        int version = Send.ipVersion(b, at, plain);
        int length;
        if (version == 4) {
            length = (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
            if (length < 20 || length > plain) {
                counters.drop(DropReason.INVALID_INNER_PACKET);
                return;
            }
        } else if (version == 6) {
            length = 40 + ((b[at + 4] & 0xff) << 8 | (b[at + 5] & 0xff));
            if (length > plain) {
                counters.drop(DropReason.INVALID_INNER_PACKET);
                return;
            }
        } else {
            counters.drop(DropReason.INVALID_INNER_PACKET);
            return;
        }
        if (device.allowedIps.lookupSource(b, at, version) != peer) {
            counters.drop(DropReason.SOURCE_NOT_ALLOWED);
            return;
        }
        if (device.forwarding) {
            Peer to = device.allowedIps.lookupDestination(b, at, version);
            if (to == peer) {
                counters.drop(DropReason.FORWARD_LOOP);
                return;
            }
            if (to != null) {
                device.send.forward(p, at, length, to);
                return;
            }
        }
        int start = at - p.viewBase;
        ByteBuffer view = p.view;
        view.clear().position(start).limit(start + length);
        try {
            device.tun.write(view);
            wroteTun = true;
        } catch (IOException e) {
            counters.drop(DropReason.TUN_WRITE_FAILED);
        }
    }

    /** Key confirmation: the responder's {@code next} keypair received its first message. */
    private void confirm(Peer peer, Session s) {
        Session[] dropped = new Session[1];
        if (peer.keypairs.receivedWith(s, dropped)) {
            if (dropped[0] != null) {
                device.erase(dropped[0]);
            }
            device.handshakes.handshakeComplete(peer);
            device.send.sendStaged(peer);
        }
    }
}
