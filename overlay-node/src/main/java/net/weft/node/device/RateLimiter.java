package net.weft.node.device;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per-source token buckets for handshake messages while the device is under load, as
 * wireguard-go's ratelimiter: 20 messages a second per source with a burst of 5. An IPv4 source
 * is keyed by its address, an IPv6 source by its /64 (one host commonly holds the whole /64).
 *
 * <p>The table is bounded: entries idle for a second are swept by {@link #sweep} (the timer tick),
 * and when {@link #MAX_ENTRIES} sources are tracked a new one is refused until the sweep frees
 * room — under a flood of spoofed sources, failing closed for unknown sources is the safe side;
 * sources with a cookie (mac2) already passed before this check. Guarded by this object's lock;
 * only the handshake path, never the transport path, comes here.
 */
final class RateLimiter {

    static final long PACKETS_PER_SECOND = 20;
    static final long BURST = 5;
    static final long PACKET_COST = 1_000_000_000L / PACKETS_PER_SECOND;
    static final long MAX_TOKENS = PACKET_COST * BURST;
    static final long IDLE_NANOS = 1_000_000_000L;
    static final int MAX_ENTRIES = 16384;

    private static final class Bucket {
        long tokens;
        long lastTime;
    }

    private final Map<Long, Bucket> v4 = new HashMap<>();
    private final Map<Long, Bucket> v6 = new HashMap<>();

    /** True when a handshake message from {@code source} may be processed now. */
    synchronized boolean allow(InetAddress source, long now) {
        byte[] a = source.getAddress();
        Map<Long, Bucket> table;
        long key;
        if (source instanceof Inet4Address) {
            table = v4;
            key = (a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8 | (a[3] & 0xffL);
        } else {
            table = v6;
            key = 0;
            for (int i = 0; i < 8; i++) {
                key = key << 8 | (a[i] & 0xffL);
            }
        }
        Bucket b = table.get(key);
        if (b == null) {
            if (v4.size() + v6.size() >= MAX_ENTRIES) {
                return false;
            }
            b = new Bucket();
            b.tokens = MAX_TOKENS - PACKET_COST;
            b.lastTime = now;
            table.put(key, b);
            return true;
        }
        b.tokens = Math.min(MAX_TOKENS, b.tokens + (now - b.lastTime));
        b.lastTime = now;
        if (b.tokens >= PACKET_COST) {
            b.tokens -= PACKET_COST;
            return true;
        }
        return false;
    }

    /** Forgets sources idle for a second. */
    synchronized void sweep(long now) {
        sweep(v4, now);
        sweep(v6, now);
    }

    private static void sweep(Map<Long, Bucket> table, long now) {
        for (Iterator<Bucket> it = table.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastTime > IDLE_NANOS) {
                it.remove();
            }
        }
    }

    synchronized int size() {
        return v4.size() + v6.size();
    }
}
