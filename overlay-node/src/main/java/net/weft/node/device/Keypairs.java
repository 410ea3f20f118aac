package net.weft.node.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A peer's three keypair slots, as the whitepaper and wireguard-go's keypair.go keep them:
 * {@code current} sends; {@code previous} still receives what was in flight during a rekey;
 * {@code next} is a responder's keypair waiting for confirmation (the initiator's first transport
 * message on it), because a responder must not send first.
 *
 * <p>Writes are guarded by this object's lock. {@code current} and {@code next} are volatile so
 * the send and receive paths read them without locking.
 */
final class Keypairs {

    private volatile Session current;
    private volatile Session next;
    /** Guarded by {@code this}. */
    private Session previous;

    /** The keypair to send with, or null. */
    Session current() {
        return current;
    }

    Session next() {
        return next;
    }

    /**
     * Installs a freshly derived session. The initiator's becomes {@code current} at once (the
     * response confirmed it); the responder's waits in {@code next}. Returns the sessions that
     * fell out of every slot; the caller erases them and frees their indices.
     */
    synchronized List<Session> install(Session s, boolean initiator) {
        List<Session> dropped = new ArrayList<>(2);
        if (initiator) {
            if (next != null) {
                addIfPresent(dropped, previous);
                previous = next;
                next = null;
                addIfPresent(dropped, current);
            } else {
                addIfPresent(dropped, previous);
                previous = current;
            }
            current = s;
        } else {
            addIfPresent(dropped, next);
            next = s;
            addIfPresent(dropped, previous);
            previous = null;
        }
        return dropped;
    }

    /**
     * Called after a transport message authenticated on {@code s}: when it is the waiting
     * {@code next}, it becomes {@code current} (key confirmation). Returns the session that fell
     * out of {@code previous} through {@code dropped[0]}, and true when a rotation happened.
     */
    boolean receivedWith(Session s, Session[] dropped) {
        if (next != s) {
            return false;
        }
        synchronized (this) {
            if (next != s) {
                return false;
            }
            dropped[0] = previous;
            previous = current;
            current = s;
            next = null;
            return true;
        }
    }

    /** Empties every slot and returns what was there. */
    synchronized List<Session> clear() {
        List<Session> all = new ArrayList<>(3);
        addIfPresent(all, previous);
        addIfPresent(all, current);
        addIfPresent(all, next);
        previous = null;
        current = null;
        next = null;
        return all;
    }

    private static void addIfPresent(List<Session> list, Session s) {
        if (s != null) {
            list.add(s);
        }
    }
}
