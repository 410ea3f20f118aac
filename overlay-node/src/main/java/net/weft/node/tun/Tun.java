package net.weft.node.tun;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A layer-3 tunnel device: every read yields one whole IP packet and every write takes one, with
 * no header in front ({@code IFF_TUN|IFF_NO_PI}). The device owns one reader thread that calls
 * {@link #read} (or {@link #tryRead} and {@link #awaitReadable}); another thread may read in its
 * place when the two agree who reads ({@code Send}'s read permission). Writes may come from any
 * thread.
 */
public interface Tun extends AutoCloseable {

    /** The largest packet a read can return, whatever the MTU: buffers of this size never truncate. */
    int MAX_PACKET = 65535;

    /** The interface name, e.g. {@code wg0}. */
    String name();

    /** The current MTU; follows {@code ip link set mtu} while the device runs. */
    int mtu() throws IOException;

    /**
     * Reads one packet into {@code dst} from its position (which must have {@link #MAX_PACKET}
     * bytes of room, or the MTU's worth at least) and advances the position past it. Blocks until a
     * packet arrives. Returns the packet's length, or -1 once the device is closed or the interface
     * is gone (deleted with {@code ip link del}).
     */
    default int read(ByteBuffer dst) throws IOException {
        while (true) {
            int n = tryRead(dst);
            if (n != 0) {
                return n;
            }
            if (!awaitReadable()) {
                return -1;
            }
        }
    }

    /**
     * {@link #read}, without blocking: returns 0 at once when no packet is waiting. Reads never
     * overlap: a caller that is not the device's reader thread holds the device's permission to
     * read for the time of the call.
     */
    int tryRead(ByteBuffer dst) throws IOException;

    /**
     * Blocks until a packet may be waiting (true: try a read, which also names an error such as the
     * interface being gone) or the device is closed (false). Only the reader thread waits.
     */
    boolean awaitReadable() throws IOException;

    /** Writes the packet between {@code src}'s position and limit; the position moves to the limit. */
    void write(ByteBuffer src) throws IOException;

    /** Closes the device; a blocked {@link #read} returns -1. Idempotent. */
    @Override
    void close() throws IOException;
}
