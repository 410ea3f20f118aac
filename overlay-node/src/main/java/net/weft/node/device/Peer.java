package net.weft.node.device;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import net.weft.crypto.Clock;
import net.weft.crypto.cookie.CookieGenerator;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.LocalIdentity;
import net.weft.topology.model.IpPrefix;

/**
 * One remote peer: its handshake, keypairs, endpoint, staged packets, timers and counters.
 *
 * <p>Locks, in the order they may nest: the device's config lock, then {@link #handshakeLock},
 * then {@link Keypairs}' lock, then the {@link IndexTable}'s, then {@link Timers}' and the staged
 * queue's. The packet paths take none but the short keypair, timer and staged-queue locks.
 */
final class Peer {

    /** A packet waiting for a keypair, copied with transport-header room in front and padding room behind. */
    static final class StagedPacket {
        final byte[] buffer;
        final int length;

        StagedPacket(byte[] buffer, int length) {
            this.buffer = buffer;
            this.length = length;
        }
    }

    final PublicKey publicKey;
    final CookieGenerator cookieGenerator;
    final Keypairs keypairs = new Keypairs();
    final Timers timers = new Timers();
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();

    /** Guards the handshake state below; held while a handshake message is created or consumed. */
    final ReentrantLock handshakeLock = new ReentrantLock();
    /** The handshake with this peer under our current identity; null while the device has no private key. */
    Handshake handshake;
    /** The identity {@link #handshake} was made for (a private key change replaces both). */
    LocalIdentity handshakeIdentity;
    PresharedKey presharedKey;
    /** Our index for the handshake in flight, valid while {@link #hasHandshakeIndex}. */
    int handshakeIndex;
    boolean hasHandshakeIndex;
    /** When we last sent an initiation or response: initiations are at most one per REKEY_TIMEOUT. */
    long lastSentHandshake;
    boolean sentHandshakeBefore;

    /** Where we send; follows the source of the latest authenticated packet (roaming). */
    volatile InetSocketAddress endpoint;
    /** Wall time of the last completed handshake, nanoseconds since the epoch; 0 when none. */
    volatile long lastHandshakeEpochNanos;
    /** Set once the peer is removed: its paths stop touching the device. */
    volatile boolean removed;

    /** Allowed IPs in the order they were added; guarded by the device's config lock. */
    final LinkedHashSet<IpPrefix> allowedIps = new LinkedHashSet<>();

    /** Packets waiting for a keypair, oldest first; guarded by itself. */
    private final ArrayDeque<StagedPacket> staged = new ArrayDeque<>();
    private final int stagedCapacity;

    Peer(PublicKey publicKey, LocalIdentity identity, Clock clock, SecureRandom random, int stagedCapacity) {
        this.publicKey = publicKey;
        this.cookieGenerator = new CookieGenerator(publicKey, clock);
        this.presharedKey = PresharedKey.none();
        this.stagedCapacity = stagedCapacity;
        rekeyIdentity(identity, clock, random);
    }

    /** Replaces the handshake for a new local identity (or none). Caller holds {@link #handshakeLock}. */
    void rekeyIdentity(LocalIdentity identity, Clock clock, SecureRandom random) {
        if (handshake != null) {
            handshake.clear();
        }
        handshakeIdentity = identity;
        handshake = identity == null ? null : new Handshake(identity, publicKey, presharedKey, clock, random);
        // the next packet may start a handshake at once
        sentHandshakeBefore = false;
    }

    /**
     * Queues a copy of the packet at {@code src[off..off+length)}. Returns true when the queue was
     * full and its oldest packet was dropped to make room.
     */
    boolean stage(byte[] src, int off, int length) {
        byte[] copy = new byte[Send.HEADER_ROOM + length + Send.TRAILER_ROOM];
        System.arraycopy(src, off, copy, Send.HEADER_ROOM, length);
        StagedPacket p = new StagedPacket(copy, length);
        synchronized (staged) {
            boolean overflow = false;
            if (staged.size() >= stagedCapacity) {
                staged.pollFirst();
                overflow = true;
            }
            staged.addLast(p);
            return overflow;
        }
    }

    StagedPacket pollStaged() {
        synchronized (staged) {
            return staged.pollFirst();
        }
    }

    void unpollStaged(StagedPacket p) {
        synchronized (staged) {
            staged.addFirst(p);
        }
    }

    boolean hasStaged() {
        synchronized (staged) {
            return !staged.isEmpty();
        }
    }

    /** Drops every staged packet; returns how many. */
    int flushStaged() {
        synchronized (staged) {
            int n = staged.size();
            staged.clear();
            return n;
        }
    }

    @Override
    public String toString() {
        return publicKey.toString();
    }
}
