package net.weft.node.uapi;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable ASCII buffer for one answer. It may hold the private key in hex, so every array it
 * drops on growth and its final contents are zeroed ({@link #wipe()}).
 */
final class AsciiOutput implements Appendable {

    private byte[] bytes = new byte[1024];
    private int length;

    @Override
    public AsciiOutput append(CharSequence s) {
        return append(s, 0, s.length());
    }

    @Override
    public AsciiOutput append(CharSequence s, int start, int end) {
        ensure(end - start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c > 0x7f) {
                throw new IllegalArgumentException("UAPI answers are ASCII");
            }
            bytes[length++] = (byte) c;
        }
        return this;
    }

    @Override
    public AsciiOutput append(char c) {
        if (c > 0x7f) {
            throw new IllegalArgumentException("UAPI answers are ASCII");
        }
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    int length() {
        return length;
    }

    /** The contents, for writing; valid until the next append or {@link #wipe()}. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    /** Zeroes the contents and empties the buffer. */
    void wipe() {
        Arrays.fill(bytes, 0, length, (byte) 0);
        length = 0;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            byte[] bigger = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            Arrays.fill(bytes, (byte) 0);
            bytes = bigger;
        }
    }
}
