package net.weft.crypto.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import net.weft.crypto.message.Messages;

/** {@link Messages#classify}: the first thing every received datagram goes through. */
class MessagesFuzzTest {

    /**
     * Any bytes, any offset and length (also outside the array): never throws, and a type other
     * than {@code INVALID} is only answered for a range inside the array whose first byte is that
     * type, whose reserved bytes are zero and whose length is the type's.
     */
    @FuzzTest(maxDuration = "30s")
    void classify(FuzzedDataProvider data) {
        boolean inside = data.consumeBoolean();
        int off = inside ? data.consumeInt(0, 16) : data.consumeInt();
        int lenHint = data.consumeInt();
        byte[] b = data.consumeRemainingAsBytes();
        int len = inside ? FuzzFixtures.lengthWithin(lenHint, b.length, off) : lenHint;

        int type = Messages.classify(b, off, len);

        if (type == Messages.INVALID) {
            return;
        }
        if (off < 0 || len < 4 || (long) off + len > b.length) {
            throw new AssertionError("classified a range outside the array: off=" + off + " len=" + len + " size=" + b.length);
        }
        if (b[off] != type || b[off + 1] != 0 || b[off + 2] != 0 || b[off + 3] != 0) {
            throw new AssertionError("type " + type + " answered for a header that does not say so");
        }
        boolean sized = switch (type) {
            case Messages.TYPE_INITIATION -> len == Messages.INITIATION_SIZE;
            case Messages.TYPE_RESPONSE -> len == Messages.RESPONSE_SIZE;
            case Messages.TYPE_COOKIE_REPLY -> len == Messages.COOKIE_REPLY_SIZE;
            case Messages.TYPE_TRANSPORT -> len >= Messages.TRANSPORT_MIN_SIZE;
            default -> false;
        };
        if (!sized) {
            throw new AssertionError("type " + type + " answered for length " + len);
        }
    }
}
