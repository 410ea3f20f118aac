package net.weft.crypto.message;

/**
 * Message types, sizes and field offsets, and the little-endian field codecs they share.
 *
 * <pre>
 * initiation  type(1) reserved(3) sender(4) ephemeral(32) static(32+16) timestamp(12+16) mac1(16) mac2(16) = 148
 * response    type(1) reserved(3) sender(4) receiver(4) ephemeral(32) empty(0+16) mac1(16) mac2(16)        =  92
 * cookie      type(1) reserved(3) receiver(4) nonce(24) cookie(16+16)                                       =  64
 * transport   type(1) reserved(3) receiver(4) counter(8) packet(n padded to 16)+tag(16)                     >= 32
 * </pre>
 */
public final class Messages {

    /** What {@link #classify} answers for anything that is not a well-formed message. */
    public static final int INVALID = 0;

    public static final int TYPE_INITIATION = 1;
    public static final int TYPE_RESPONSE = 2;
    public static final int TYPE_COOKIE_REPLY = 3;
    public static final int TYPE_TRANSPORT = 4;

    public static final int INITIATION_SIZE = 148;
    public static final int RESPONSE_SIZE = 92;
    public static final int COOKIE_REPLY_SIZE = 64;
    public static final int TRANSPORT_HEADER_SIZE = 16;
    public static final int TAG_SIZE = 16;
    public static final int TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + TAG_SIZE;
    /** Transport payloads are padded to a multiple of this. */
    public static final int PADDING_MULTIPLE = 16;

    // initiation
    public static final int INITIATION_SENDER = 4;
    public static final int INITIATION_EPHEMERAL = 8;
    public static final int INITIATION_STATIC = 40;
    public static final int INITIATION_TIMESTAMP = 88;
    public static final int INITIATION_MAC1 = 116;
    public static final int INITIATION_MAC2 = 132;
    /** The Noise part of an initiation (ephemeral, encrypted static, encrypted timestamp). */
    public static final int INITIATION_NOISE_LENGTH = INITIATION_MAC1 - INITIATION_EPHEMERAL;

    // response
    public static final int RESPONSE_SENDER = 4;
    public static final int RESPONSE_RECEIVER = 8;
    public static final int RESPONSE_EPHEMERAL = 12;
    public static final int RESPONSE_EMPTY = 44;
    public static final int RESPONSE_MAC1 = 60;
    public static final int RESPONSE_MAC2 = 76;
    /** The Noise part of a response (ephemeral, encrypted empty payload). */
    public static final int RESPONSE_NOISE_LENGTH = RESPONSE_MAC1 - RESPONSE_EPHEMERAL;

    // cookie reply
    public static final int COOKIE_REPLY_RECEIVER = 4;
    public static final int COOKIE_REPLY_NONCE = 8;
    public static final int COOKIE_REPLY_COOKIE = 32;

    // transport
    public static final int TRANSPORT_RECEIVER = 4;
    public static final int TRANSPORT_COUNTER = 8;
    public static final int TRANSPORT_PAYLOAD = 16;

    /** mac1 and mac2 are the last 32 bytes of a handshake message. */
    public static final int MAC_SIZE = 16;

    private Messages() {
    }

    /**
     * The type of the message in {@code b[off..off+len)}, or {@link #INVALID} when the type is
     * unknown, the reserved bytes are not zero, or the length is not exactly the type's size
     * (for transport: at least 32 bytes). Never throws for any input within the array.
     */
    public static int classify(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 4 || off > b.length - len) {
            return INVALID;
        }
        if ((b[off + 1] | b[off + 2] | b[off + 3]) != 0) {
            return INVALID;
        }
        int type = b[off];
        return switch (type) {
            case TYPE_INITIATION -> len == INITIATION_SIZE ? type : INVALID;
            case TYPE_RESPONSE -> len == RESPONSE_SIZE ? type : INVALID;
            case TYPE_COOKIE_REPLY -> len == COOKIE_REPLY_SIZE ? type : INVALID;
            case TYPE_TRANSPORT -> len >= TRANSPORT_MIN_SIZE ? type : INVALID;
            default -> INVALID;
        };
    }

    /** Writes the type byte and zeroes the three reserved bytes. */
    public static void writeHeader(byte[] b, int off, int type) {
        b[off] = (byte) type;
        b[off + 1] = 0;
        b[off + 2] = 0;
        b[off + 3] = 0;
    }

    public static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static long readLong(byte[] b, int off) {
        return (readInt(b, off) & 0xffffffffL) | (long) readInt(b, off + 4) << 32;
    }

    public static void writeLong(byte[] b, int off, long v) {
        writeInt(b, off, (int) v);
        writeInt(b, off + 4, (int) (v >>> 32));
    }

    /**
     * The length a transport payload of {@code length} bytes is padded to: the next multiple of
     * 16, but never past {@code mtu} (when {@code mtu} is positive) so padding cannot make a
     * packet exceed the interface MTU. A packet already larger than the MTU is not padded.
     */
    public static int paddedLength(int length, int mtu) {
        int padded = (length + PADDING_MULTIPLE - 1) & -PADDING_MULTIPLE;
        if (mtu > 0 && padded > mtu) {
            return Math.max(length, mtu);
        }
        return padded;
    }

    /** Offset of mac1 in a handshake message of {@code size} bytes. */
    public static int mac1Offset(int size) {
        return size - 2 * MAC_SIZE;
    }

    /** Offset of mac2 in a handshake message of {@code size} bytes. */
    public static int mac2Offset(int size) {
        return size - MAC_SIZE;
    }
}
