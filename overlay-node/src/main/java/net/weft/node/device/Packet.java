package net.weft.node.device;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One packet on its way through a packet path, and what the path's stages hand each other: the
 * bytes, the session (acquired by the first stage, released once sealed or opened), the counter,
 * the peer and address. Reused: inline, one per thread; with crypto workers, the slots of a
 * {@link CryptoWorkers} ring. Nothing here is allocated per packet.
 */
final class Packet {

    static final int FREE = 0;
    static final int FILLED = 1;
    static final int DONE = 2;

    /** The bytes: a transport message being built or opened starts at {@link #offset}. */
    byte[] data;
    int offset;
    /**
     * Outbound (from the TUN or forwarded): the IP packet's length (it starts at {@code offset + 16});
     * inbound: the datagram's.
     */
    int length;
    /** A view of {@link #data} for the bind or the TUN, and the array offset of its index 0. */
    ByteBuffer view;
    int viewBase;
    /**
     * Where the bytes this packet may write end: {@code data.length} for its own array, the
     * datagram's end for a bind's buffer decrypted where it lies (a forwarded packet is sealed there).
     */
    int end;

    Session session;
    Peer peer;
    long counter;
    long now;
    /** Outbound: where to send; inbound: where the datagram came from. */
    InetSocketAddress address;
    /** Outbound: the sealed message's length; inbound: the plaintext's length, or -1. */
    int result;

    /** Ring slots only: FREE, FILLED (stage one done), DONE (sealed or opened). */
    volatile int state;

    /** A packet owning an array of {@code size} bytes. */
    static Packet withBuffer(int size) {
        Packet p = new Packet();
        p.data = new byte[size];
        p.view = ByteBuffer.wrap(p.data);
        p.end = size;
        return p;
    }

    /** Makes sure the own array holds {@code size} bytes (grows once, then reused). */
    void ensureCapacity(int size) {
        if (data == null || data.length < size) {
            data = new byte[Math.max(size, 2048)];
            view = ByteBuffer.wrap(data);
        }
        end = data.length;
    }

    /** Drops references so a finished packet keeps nothing alive. */
    void clear() {
        session = null;
        peer = null;
        address = null;
    }
}
