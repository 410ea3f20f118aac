package net.weft.node.device;

import java.util.concurrent.atomic.AtomicInteger;
import net.weft.crypto.noise.Keypair;

/**
 * One keypair a handshake derived, bound to its peer: what the index table hands the receive path
 * for a transport message's receiver index. The keypair's send counter is atomic; its replay
 * filter is guarded by this object's lock, so any number of receive threads may validate counters.
 *
 * <p>Keys are zeroed only when nobody uses them: a thread {@link #acquire}s the session around
 * each seal or open, and {@link #retire} (rekey, key change, removal, expiry) erases the keys at
 * once when the session is idle, or else when its last user {@link #release}s it. Without this a
 * sender could read the key while another thread zeroes it and seal a packet under an all-zero
 * key. Cost: two uncontended atomic operations per packet.
 */
final class Session {

    private static final int RETIRED = 1 << 30;

    final Keypair keypair;
    final Peer peer;
    /** {@link net.weft.crypto.Clock#nanoTime()} when the keypair was derived. */
    final long created;

    /** Users holding the session, plus {@link #RETIRED} once retired. */
    private final AtomicInteger state = new AtomicInteger();

    Session(Keypair keypair, Peer peer) {
        this.keypair = keypair;
        this.peer = peer;
        this.created = keypair.createdNanos();
    }

    /** Takes the session for one seal or open; false once it is retired (the caller must not use it). */
    boolean acquire() {
        if ((state.incrementAndGet() & RETIRED) != 0) {
            release();
            return false;
        }
        return true;
    }

    /** Ends a use begun by a successful {@link #acquire}, or a failed one's increment. */
    void release() {
        if (state.decrementAndGet() == RETIRED) {
            keypair.destroy();
        }
    }

    /** No new users; the keys are zeroed as soon as the current ones are done. Idempotent. */
    void retire() {
        int prev = state.get();
        while ((prev & RETIRED) == 0) {
            if (state.compareAndSet(prev, prev | RETIRED)) {
                if (prev == 0) {
                    keypair.destroy();
                }
                return;
            }
            prev = state.get();
        }
    }

    /** The replay check, after the message authenticated. */
    boolean acceptCounter(long counter) {
        synchronized (this) {
            return keypair.acceptCounter(counter);
        }
    }

    int localIndex() {
        return keypair.localIndex();
    }

    @Override
    public String toString() {
        return "Session(" + peer.publicKey + ", " + keypair + ")";
    }
}
