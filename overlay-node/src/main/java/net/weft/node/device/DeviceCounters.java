package net.weft.node.device;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Device-wide counters for metrics: drops by {@link DropReason}, handshakes by outcome, and the
 * packets and bytes forwarded from one peer to another. Per-peer byte counters live in
 * {@link PeerStatus}. Increments are lock-free and allocate nothing; readers see each counter's
 * latest value, not a consistent snapshot across counters.
 */
public final class DeviceCounters {

    /** Handshake events, as a metrics exporter labels them. */
    public enum Handshake {
        /** We sent an initiation. */
        INITIATION_SENT,
        /** We accepted an initiation and answered it. */
        RESPONSE_SENT,
        /** A handshake completed with a peer (response consumed, or the first message on a new responder keypair). */
        COMPLETED,
        /** Under load, we answered a handshake message with a cookie reply. */
        COOKIE_REPLY_SENT,
        /** We accepted a cookie reply from a peer. */
        COOKIE_REPLY_RECEIVED,
        /** We gave up after REKEY_ATTEMPT_TIME without an answer. */
        GAVE_UP
    }

    private static final DropReason[] REASONS = DropReason.values();
    private static final Handshake[] HANDSHAKES = Handshake.values();

    private final AtomicLongArray drops = new AtomicLongArray(REASONS.length);
    private final AtomicLongArray handshakes = new AtomicLongArray(HANDSHAKES.length);
    private final AtomicLong forwardedPackets = new AtomicLong();
    private final AtomicLong forwardedBytes = new AtomicLong();
    private final AtomicLong readsAfterWrite = new AtomicLong();

    void drop(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    void drop(DropReason reason, long n) {
        drops.addAndGet(reason.ordinal(), n);
    }

    void handshake(Handshake event) {
        handshakes.incrementAndGet(event.ordinal());
    }

    void forwarded(int bytes) {
        forwardedPackets.incrementAndGet();
        forwardedBytes.addAndGet(bytes);
    }

    void readAfterWrite() {
        readsAfterWrite.incrementAndGet();
    }

    /**
     * TUN packets the bind's receive thread read and sent right after writing to the TUN, in the
     * reader thread's place (an answer the kernel queued at once, such as an echo reply).
     */
    public long readsAfterWrite() {
        return readsAfterWrite.get();
    }

    /** Packets dropped for {@code reason} since the device was made. */
    public long drops(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    /** Packets dropped for any reason. */
    public long dropsTotal() {
        long total = 0;
        for (int i = 0; i < REASONS.length; i++) {
            total += drops.get(i);
        }
        return total;
    }

    /** How often {@code event} happened. */
    public long handshakes(Handshake event) {
        return handshakes.get(event.ordinal());
    }

    /**
     * Decrypted packets handed to another peer's send path instead of the TUN (forwarding on). A
     * packet lost after that (its peer's staging queue overflowing, no endpoint) is counted as a
     * drop as well.
     */
    public long forwardedPackets() {
        return forwardedPackets.get();
    }

    /** The IP bytes of {@link #forwardedPackets()} (inner packets, without WireGuard's overhead). */
    public long forwardedBytes() {
        return forwardedBytes.get();
    }

    /** Every drop counter, in {@link DropReason} order. */
    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            m.put(r, drops.get(r.ordinal()));
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DeviceCounters{");
        for (DropReason r : REASONS) {
            long v = drops.get(r.ordinal());
            if (v != 0) {
                sb.append(r).append('=').append(v).append(' ');
            }
        }
        for (Handshake h : HANDSHAKES) {
            long v = handshakes.get(h.ordinal());
            if (v != 0) {
                sb.append(h).append('=').append(v).append(' ');
            }
        }
        long forwarded = forwardedPackets.get();
        if (forwarded != 0) {
            sb.append("FORWARDED=").append(forwarded).append('/').append(forwardedBytes.get()).append("B ");
        }
        return sb.append('}').toString();
    }
}
