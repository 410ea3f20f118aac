package net.weft.node.device;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps our 32-bit receiver indices to what they name: a peer's handshake in flight, or a
 * {@link Session} once the handshake derived its keypair (the index carries over, as in
 * wireguard-go's indextable.go). Indices are random so they reveal nothing and collide rarely.
 *
 * <p>Open addressing with linear probing over an {@link AtomicReferenceArray}: the receive path
 * looks up without locking and without allocating; inserts, swaps and removals take this object's
 * lock. Removed slots become tombstones; the table is rebuilt into a new array (published through
 * a volatile field) when it fills up with entries and tombstones. A reader still walking the old
 * array may miss an index inserted that instant, which looks like the packet arriving a moment
 * earlier, before the handshake finished.
 */
final class IndexTable {

    private static final class Entry {
        final int index;
        final Peer peer;
        /** Null while the index names a handshake in flight. */
        final Session session;

        Entry(int index, Peer peer, Session session) {
            this.index = index;
            this.peer = peer;
            this.session = session;
        }
    }

    private static final Entry TOMBSTONE = new Entry(0, null, null);
    private static final int MIN_CAPACITY = 64;

    private final SecureRandom random;
    private volatile AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(MIN_CAPACITY);
    /** Guarded by {@code this}: live entries, and live plus tombstones. */
    private int live;
    private int used;

    IndexTable(SecureRandom random) {
        this.random = random;
    }

    private static int slot(int index, int mask) {
        int h = index * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private static Entry find(AtomicReferenceArray<Entry> s, int index) {
        int mask = s.length() - 1;
        int i = slot(index, mask);
        for (int n = 0; n <= mask; n++) {
            Entry e = s.get(i);
            if (e == null) {
                return null;
            }
            if (e != TOMBSTONE && e.index == index) {
                return e;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** The session {@code index} names, or null (unknown, or still a handshake). Lock-free, allocates nothing. */
    Session session(int index) {
        Entry e = find(slots, index);
        return e == null ? null : e.session;
    }

    /** The peer whose handshake in flight is {@code index}, or null. */
    Peer handshakePeer(int index) {
        Entry e = find(slots, index);
        return e == null || e.session != null ? null : e.peer;
    }

    /** The peer {@code index} belongs to, handshake or session (for cookie replies), or null. */
    Peer peer(int index) {
        Entry e = find(slots, index);
        return e == null ? null : e.peer;
    }

    /** Draws a fresh random index for a handshake of {@code peer} and records it. */
    synchronized int newHandshakeIndex(Peer peer) {
        while (true) {
            int index = random.nextInt();
            if (find(slots, index) == null) {
                insert(new Entry(index, peer, null));
                return index;
            }
        }
    }

    /** Makes the handshake index {@code index} name {@code session} instead (the keypair inherits it). */
    synchronized void swapToSession(int index, Session session) {
        AtomicReferenceArray<Entry> s = slots;
        int pos = position(s, index);
        Entry replacement = new Entry(index, session.peer, session);
        if (pos < 0) {
            insert(replacement);
        } else {
            s.set(pos, replacement);
        }
    }

    /** Forgets {@code index}; a no-op when it is unknown. */
    synchronized void remove(int index) {
        AtomicReferenceArray<Entry> s = slots;
        int pos = position(s, index);
        if (pos >= 0) {
            s.set(pos, TOMBSTONE);
            live--;
        }
    }

    /** Live entries. */
    synchronized int size() {
        return live;
    }

    private static int position(AtomicReferenceArray<Entry> s, int index) {
        int mask = s.length() - 1;
        int i = slot(index, mask);
        for (int n = 0; n <= mask; n++) {
            Entry e = s.get(i);
            if (e == null) {
                return -1;
            }
            if (e != TOMBSTONE && e.index == index) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void insert(Entry entry) {
        if ((used + 1) * 2 > slots.length()) {
            rebuild();
        }
        AtomicReferenceArray<Entry> s = slots;
        int mask = s.length() - 1;
        int i = slot(entry.index, mask);
        while (true) {
            Entry e = s.get(i);
            if (e == null || e == TOMBSTONE) {
                if (e == null) {
                    used++;
                }
                s.set(i, entry);
                live++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Copies the live entries into an array where they fill at most a quarter. */
    private void rebuild() {
        AtomicReferenceArray<Entry> old = slots;
        int capacity = MIN_CAPACITY;
        while (capacity < (live + 1) * 4) {
            capacity <<= 1;
        }
        AtomicReferenceArray<Entry> fresh = new AtomicReferenceArray<>(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < old.length(); j++) {
            Entry e = old.get(j);
            if (e == null || e == TOMBSTONE) {
                continue;
            }
            int i = slot(e.index, mask);
            while (fresh.get(i) != null) {
                i = (i + 1) & mask;
            }
            fresh.set(i, e);
        }
        used = live;
        slots = fresh;
    }
}
