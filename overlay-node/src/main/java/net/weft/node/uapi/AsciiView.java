package net.weft.node.uapi;

import java.nio.charset.StandardCharsets;

/**
 * A line of the request read in place, one char per byte (ISO-8859-1), so that key material is
 * decoded straight from the connection's buffer and never becomes a {@link String}.
 */
final class AsciiView implements CharSequence {

    private final byte[] bytes;
    private final int offset;
    private final int length;

    AsciiView(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("view " + offset + "+" + length + " of " + bytes.length);
        }
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (bytes[offset + index] & 0xff);
    }

    /** The first index of {@code c}, or -1. */
    int indexOf(char c) {
        for (int i = 0; i < length; i++) {
            if ((bytes[offset + i] & 0xff) == c) {
                return i;
            }
        }
        return -1;
    }

    /** True when the view holds exactly the ASCII text {@code s}. */
    boolean contentEquals(String s) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((bytes[offset + i] & 0xff) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public AsciiView subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException(start + ".." + end + " of " + length);
        }
        return new AsciiView(bytes, offset + start, end - start);
    }

    /** A copy as a {@link String}; never call it on key material. */
    @Override
    public String toString() {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
}
