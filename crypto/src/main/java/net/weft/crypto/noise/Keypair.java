package net.weft.crypto.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import net.weft.crypto.Protocol;
import net.weft.crypto.message.Messages;
import net.weft.crypto.primitive.ChaChaPoly;
import net.weft.crypto.primitive.SymmetricKey;
import net.weft.crypto.replay.ReplayFilter;

/**
 * The transport keys a handshake derived, with the indices that name them on the wire, the send
 * counter and the receive replay filter. Seals and opens transport messages in place.
 *
 * <p>The send counter is atomic so several encryption workers may draw from it; the replay filter
 * belongs to whichever single thread receives for this keypair.
 */
public final class Keypair {

    private final SymmetricKey sendKey;
    private final SymmetricKey receiveKey;
    private final boolean initiator;
    private final int localIndex;
    private final int remoteIndex;
    private final long createdNanos;
    /** Next counter to send; shared by the sending workers. */
    private final AtomicLong sendCounter = new AtomicLong();
    /** Guarded by the receiving thread (see class comment). */
    private final ReplayFilter replayFilter = new ReplayFilter();

    Keypair(SymmetricKey sendKey, SymmetricKey receiveKey, boolean initiator, int localIndex, int remoteIndex, long createdNanos) {
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
        this.initiator = initiator;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.createdNanos = createdNanos;
    }

    /** True when we initiated the handshake that made this keypair. */
    public boolean isInitiator() {
        return initiator;
    }

    /** The index peers put in transport messages to us (our receiver index). */
    public int localIndex() {
        return localIndex;
    }

    /** The index we put in transport messages to the peer. */
    public int remoteIndex() {
        return remoteIndex;
    }

    /** {@link net.weft.crypto.Clock#nanoTime()} when the keypair was derived, for the rekey timers. */
    public long createdNanos() {
        return createdNanos;
    }

    /**
     * Takes the next send counter, or returns {@code -1} once {@link Protocol#REJECT_AFTER_MESSAGES}
     * counters are used up (the keypair must not send again).
     */
    public long nextSendCounter() {
        long c = sendCounter.getAndIncrement();
        if (Long.compareUnsigned(c, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            sendCounter.set(Protocol.REJECT_AFTER_MESSAGES);
            return -1;
        }
        return c;
    }

    /** The next counter that would be sent (for the rekey-after-messages check). */
    public long peekSendCounter() {
        return sendCounter.get();
    }

    /**
     * Builds a transport message in place. The payload sits at {@code buf[off+16..off+16+length)};
     * this writes the 16-byte header at {@code off}, zero-pads the payload to {@code paddedLength}
     * (see {@link Messages#paddedLength}) and encrypts it in place, appending the tag. Returns the
     * message length, {@code 16 + paddedLength + 16}.
     */
    public int seal(ChaChaPoly aead, long counter, byte[] buf, int off, int length, int paddedLength) {
        Messages.writeHeader(buf, off, Messages.TYPE_TRANSPORT);
        Messages.writeInt(buf, off + Messages.TRANSPORT_RECEIVER, remoteIndex);
        Messages.writeLong(buf, off + Messages.TRANSPORT_COUNTER, counter);
        int p = off + Messages.TRANSPORT_PAYLOAD;
        java.util.Arrays.fill(buf, p + length, p + paddedLength, (byte) 0);
        return Messages.TRANSPORT_HEADER_SIZE + aead.seal(sendKey, counter, null, buf, p, paddedLength, buf, p);
    }

    /**
     * {@link #seal(ChaChaPoly, long, byte[], int, int, int)} on a buffer: the header goes at
     * {@code buf.position()}, the payload follows it. On return the position is unchanged and the
     * limit marks the end of the message. Works on direct buffers. Returns the message length.
     */
    public int seal(ChaChaPoly aead, long counter, ByteBuffer buf, int length, int paddedLength) {
        int start = buf.position();
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(start, Messages.TYPE_TRANSPORT);
        le.putInt(start + Messages.TRANSPORT_RECEIVER, remoteIndex);
        le.putLong(start + Messages.TRANSPORT_COUNTER, counter);
        int p = start + Messages.TRANSPORT_PAYLOAD;
        for (int i = p + length; i < p + paddedLength; i++) {
            buf.put(i, (byte) 0);
        }
        ByteBuffer in = buf.duplicate().limit(p + paddedLength).position(p);
        ByteBuffer out = buf.duplicate().limit(buf.capacity()).position(p);
        int n = aead.seal(sendKey, counter, null, in, out);
        buf.limit(p + n).position(start);
        return Messages.TRANSPORT_HEADER_SIZE + n;
    }

    /**
     * Decrypts the transport message in {@code buf[off..off+len)} in place: the plaintext ends up at
     * {@code buf[off+16..)}. Returns its length (padding included), or {@code -1} when the message
     * does not authenticate. Does not consult the replay filter: call {@link #acceptCounter} after.
     */
    public int open(ChaChaPoly aead, byte[] buf, int off, int len) {
        if (len < Messages.TRANSPORT_MIN_SIZE) {
            return -1;
        }
        long counter = Messages.readLong(buf, off + Messages.TRANSPORT_COUNTER);
        int p = off + Messages.TRANSPORT_PAYLOAD;
        return aead.open(receiveKey, counter, null, buf, p, len - Messages.TRANSPORT_HEADER_SIZE, buf, p);
    }

    /**
     * Records {@code counter} of an authenticated message; {@code false} means it was replayed,
     * too old, or past {@link Protocol#REJECT_AFTER_MESSAGES}, and the packet must be dropped.
     */
    public boolean acceptCounter(long counter) {
        return replayFilter.validate(counter, Protocol.REJECT_AFTER_MESSAGES);
    }

    /** Zeroes both keys; the keypair can neither send nor receive afterwards. */
    public void destroy() {
        sendKey.destroy();
        receiveKey.destroy();
    }

    public boolean isDestroyed() {
        return sendKey.isDestroyed();
    }

    @Override
    public String toString() {
        return "Keypair(local=" + Integer.toUnsignedString(localIndex) + ", remote=" + Integer.toUnsignedString(remoteIndex)
                + (initiator ? ", initiator" : ", responder") + ")";
    }
}
