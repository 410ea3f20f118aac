package net.weft.node.conn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The UDP side of a device: one socket (IPv4 and IPv6) on a listen port that can change while the
 * device runs. Received datagrams are handed to the {@link Receiver} on the bind's own thread; the
 * buffer is only valid during that call.
 */
public interface Bind extends AutoCloseable {

    /** Gets every datagram the bind receives. */
    @FunctionalInterface
    interface Receiver {
        /**
         * One datagram between {@code packet}'s position and limit, from {@code source}. The buffer
         * and its contents belong to the bind again once this returns; the receiver may change them
         * (decrypt in place) meanwhile. What the receiver {@link #send}s meanwhile needs no
         * {@link #flush()}: the bind flushes it by the end of the current receive batch.
         */
        void receive(ByteBuffer packet, InetSocketAddress source);

        /**
         * The end of a receive batch, on the same thread, before the bind flushes what the
         * receiver sent during it.
         */
        default void batchEnd() {
        }
    }

    /**
     * Opens (or reopens, when already open) the socket on {@code port}, 0 for any free port, and
     * starts delivering to {@code receiver}. Returns the port actually bound.
     */
    int open(int port, Receiver receiver) throws IOException;

    /** The bound port, 0 when closed. */
    int port();

    /** Sets SO_MARK on the socket (0 clears it); remembered across reopens. */
    void fwmark(int mark) throws IOException;

    /**
     * Sends the bytes between {@code packet}'s position and limit to {@code destination}. The bind
     * copies or sends them before returning, so the caller may reuse the buffer at once. Failures
     * to send are counted, not thrown: UDP may drop.
     */
    void send(ByteBuffer packet, InetSocketAddress destination);

    /** Sends what {@link #send} queued, when the bind batches; a no-op otherwise. */
    default void flush() {
    }

    /** Closes the socket and stops delivering. Idempotent. */
    @Override
    void close();
}
