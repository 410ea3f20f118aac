package net.weft.crypto.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.weft.crypto.FakeClock;
import net.weft.crypto.cookie.CookieChecker;
import net.weft.crypto.cookie.CookieGenerator;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.noise.LocalIdentity;
import net.weft.crypto.primitive.ChaChaPoly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire format: the sizes the whitepaper gives (section 5.4), what {@link Messages#classify}
 * lets through, transport padding and the little-endian field codecs. The sizes are checked on
 * messages the handshake, cookie and keypair code really write, inside larger buffers filled with
 * a sentinel so that a write past the message's end shows.
 */
class MessagesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte SENTINEL = (byte) 0xa5;
    private static final int OFF = 7;

    // ---- sizes ----------------------------------------------------------------------------------

    @Test
    void sizesAreTheWhitepapers() {
        assertThat(Messages.INITIATION_SIZE).isEqualTo(148);
        assertThat(Messages.RESPONSE_SIZE).isEqualTo(92);
        assertThat(Messages.COOKIE_REPLY_SIZE).isEqualTo(64);
        assertThat(Messages.TRANSPORT_HEADER_SIZE).isEqualTo(16);
        assertThat(Messages.TAG_SIZE).isEqualTo(16);
        assertThat(Messages.TRANSPORT_MIN_SIZE).isEqualTo(32);

        // the field offsets add up to those sizes
        assertThat(Messages.INITIATION_EPHEMERAL + 32 + (32 + 16) + (12 + 16)).isEqualTo(Messages.INITIATION_MAC1);
        assertThat(Messages.INITIATION_MAC2 + 16).isEqualTo(Messages.INITIATION_SIZE);
        assertThat(Messages.RESPONSE_EPHEMERAL + 32 + 16).isEqualTo(Messages.RESPONSE_MAC1);
        assertThat(Messages.RESPONSE_MAC2 + 16).isEqualTo(Messages.RESPONSE_SIZE);
        assertThat(Messages.COOKIE_REPLY_COOKIE + 16 + 16).isEqualTo(Messages.COOKIE_REPLY_SIZE);
        assertThat(Messages.mac1Offset(148)).isEqualTo(Messages.INITIATION_MAC1);
        assertThat(Messages.mac2Offset(148)).isEqualTo(Messages.INITIATION_MAC2);
        assertThat(Messages.mac1Offset(92)).isEqualTo(Messages.RESPONSE_MAC1);
        assertThat(Messages.mac2Offset(92)).isEqualTo(Messages.RESPONSE_MAC2);
    }

    @Test
    void writtenMessagesHaveExactlyTheirSizes() {
        FakeClock clock = new FakeClock();
        LocalIdentity alice = LocalIdentity.of(PrivateKey.generate(RANDOM));
        LocalIdentity bob = LocalIdentity.of(PrivateKey.generate(RANDOM));
        Handshake initiator = new Handshake(alice, bob.publicKey(), PresharedKey.none(), clock, RANDOM);
        Handshake responder = new Handshake(bob, alice.publicKey(), PresharedKey.none(), clock, RANDOM);

        byte[] initiation = sentinelBuffer(OFF + 148 + 9);
        assertThat(initiator.createInitiation(1, initiation, OFF)).isTrue();
        new CookieGenerator(bob.publicKey(), clock).addMacs(initiation, OFF, 148);
        assertUntouchedOutside(initiation, OFF, 148);
        assertThat(Messages.classify(initiation, OFF, 148)).isEqualTo(Messages.TYPE_INITIATION);

        assertThat(Handshake.consumeInitiation(bob, initiation, OFF, k -> responder)).isSameAs(responder);
        byte[] response = sentinelBuffer(OFF + 92 + 9);
        assertThat(responder.createResponse(2, response, OFF)).isTrue();
        new CookieGenerator(alice.publicKey(), clock).addMacs(response, OFF, 92);
        assertUntouchedOutside(response, OFF, 92);
        assertThat(Messages.classify(response, OFF, 92)).isEqualTo(Messages.TYPE_RESPONSE);

        byte[] reply = sentinelBuffer(OFF + 64 + 9);
        int replyLength = new CookieChecker(bob.publicKey(), clock, RANDOM)
                .createReply(initiation, OFF, 148, new byte[] {(byte) 198, 51, 100, 7, 0x1f, (byte) 0x90}, reply, OFF);
        assertThat(replyLength).isEqualTo(64);
        assertUntouchedOutside(reply, OFF, 64);
        assertThat(Messages.classify(reply, OFF, 64)).isEqualTo(Messages.TYPE_COOKIE_REPLY);

        assertThat(initiator.consumeResponse(response, OFF)).isTrue();
        Keypair keypair = initiator.deriveKeypair();
        for (int payload : new int[] {0, 1, 15, 16, 17, 100, 1404, 1420}) {
            int padded = Messages.paddedLength(payload, 1420);
            byte[] buf = sentinelBuffer(OFF + 16 + padded + 16 + 9);
            Arrays.fill(buf, OFF + 16, OFF + 16 + payload, (byte) 1);
            int n = keypair.seal(ChaChaPoly.get(), keypair.nextSendCounter(), buf, OFF, payload, padded);
            assertThat(n).as("%d-byte payload", payload).isEqualTo(16 + padded + 16);
            assertUntouchedOutside(buf, OFF, n);
            assertThat(Messages.classify(buf, OFF, n)).isEqualTo(Messages.TYPE_TRANSPORT);
        }
    }

    private static byte[] sentinelBuffer(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, SENTINEL);
        return b;
    }

    private static void assertUntouchedOutside(byte[] buf, int off, int len) {
        for (int i = 0; i < buf.length; i++) {
            if (i < off || i >= off + len) {
                assertThat(buf[i]).as("byte %d outside the message [%d, %d)", i, off, off + len).isEqualTo(SENTINEL);
            }
        }
    }

    // ---- classify -------------------------------------------------------------------------------

    @ParameterizedTest(name = "type {0}, {1} bytes")
    @CsvSource({"1, 148", "2, 92", "3, 64", "4, 32", "4, 33", "4, 1452", "4, 65535"})
    void wellFormedMessagesAreClassifiedByType(int type, int len) {
        byte[] b = new byte[OFF + len + 3];
        Messages.writeHeader(b, OFF, type);
        assertThat(Messages.classify(b, OFF, len)).isEqualTo(type);
    }

    @ParameterizedTest(name = "type {0}, {1} bytes")
    @CsvSource({
        "1, 147", "1, 149", "1, 92", "1, 0",
        "2, 91", "2, 93", "2, 148",
        "3, 63", "3, 65", "3, 148",
        "4, 31", "4, 16", "4, 4",
    })
    void wrongLengthIsInvalid(int type, int len) {
        byte[] b = new byte[200];
        Messages.writeHeader(b, 0, type);
        assertThat(Messages.classify(b, 0, len)).isEqualTo(Messages.INVALID);
    }

    @ParameterizedTest(name = "type byte {0}")
    @ValueSource(ints = {0, 5, 6, 0x7f, 0x80, 0xff, 0x101})
    void unknownTypeIsInvalid(int type) {
        // 0x101 has a valid low byte but a non-zero first reserved byte
        for (int len : new int[] {32, 64, 92, 148}) {
            byte[] b = new byte[len];
            Messages.writeInt(b, 0, type);
            assertThat(Messages.classify(b, 0, len)).as("%d bytes", len).isEqualTo(Messages.INVALID);
        }
    }

    @Test
    void nonZeroReservedBytesAreInvalid() {
        int[][] typesAndSizes = {{1, 148}, {2, 92}, {3, 64}, {4, 48}};
        for (int[] ts : typesAndSizes) {
            for (int reserved = 1; reserved <= 3; reserved++) {
                for (int value : new int[] {1, 0x80, 0xff}) {
                    byte[] b = new byte[ts[1]];
                    Messages.writeHeader(b, 0, ts[0]);
                    b[reserved] = (byte) value;
                    assertThat(Messages.classify(b, 0, ts[1]))
                            .as("type %d, reserved byte %d = 0x%02x", ts[0], reserved, value)
                            .isEqualTo(Messages.INVALID);
                }
            }
        }
    }

    @Test
    void writeHeaderZeroesTheReservedBytes() {
        byte[] b = new byte[8];
        Arrays.fill(b, (byte) 0xff);
        Messages.writeHeader(b, 2, Messages.TYPE_RESPONSE);
        assertThat(b).containsExactly(0xff, 0xff, 2, 0, 0, 0, 0xff, 0xff);
    }

    @Test
    void outOfRangeArgumentsAreInvalidNotExceptions() {
        byte[] b = new byte[148];
        Messages.writeHeader(b, 0, Messages.TYPE_INITIATION);
        assertThatCode(() -> {
            assertThat(Messages.classify(null, 0, 148)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, -1, 148)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, 1, 148)).as("runs past the array").isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, 0, 149)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, 0, -1)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, 0, 3)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, 0, Integer.MAX_VALUE)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, Integer.MAX_VALUE, 148)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(b, 148, 0)).isEqualTo(Messages.INVALID);
            assertThat(Messages.classify(new byte[0], 0, 0)).isEqualTo(Messages.INVALID);
        }).doesNotThrowAnyException();
    }

    @Test
    void randomInputNeverThrows() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(0, 200)];
            r.nextBytes(b);
            if (b.length > 0 && r.nextBoolean()) {
                b[0] = (byte) r.nextInt(1, 5);
            }
            int off = r.nextInt(-2, 202);
            int len = r.nextInt(-2, 202);
            int type = Messages.classify(b, off, len);
            assertThat(type).isBetween(Messages.INVALID, Messages.TYPE_TRANSPORT);
            if (type != Messages.INVALID) {
                assertThat(b[off + 1] | b[off + 2] | b[off + 3]).isZero();
            }
        }
    }

    // ---- padding --------------------------------------------------------------------------------

    @ParameterizedTest(name = "paddedLength({0}, {1}) = {2}")
    @CsvSource({
        "0, 1420, 0",
        "1, 1420, 16",
        "15, 1420, 16",
        "16, 1420, 16",
        "17, 1420, 32",
        "1408, 1420, 1408",
        "1409, 1420, 1420",
        "1419, 1420, 1420",
        "1420, 1420, 1420",
        "1421, 1420, 1421",
        "995, 1000, 1000",
        "992, 1000, 992",
        "17, 0, 32",
        "1500, 0, 1504",
        "33, -1, 48",
    })
    void paddedLengthTable(int length, int mtu, int expected) {
        assertThat(Messages.paddedLength(length, mtu)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {1, 15, 16, 17, 576, 1000, 1280, 1420, 1500, 9000, 65535})
    void paddingNeverGoesPastTheMtu(int mtu) {
        for (int length = 0; length <= mtu; length++) {
            int padded = Messages.paddedLength(length, mtu);
            assertThat(padded).as("length %d", length).isBetween(length, mtu);
            assertThat(padded - length).as("length %d", length).isLessThan(16);
            if (padded != mtu) {
                assertThat(padded % 16).as("length %d", length).isZero();
            }
        }
    }

    // ---- little-endian codecs -------------------------------------------------------------------

    @Test
    void intsAreLittleEndian() {
        byte[] b = new byte[6];
        Messages.writeInt(b, 1, 0x11223344);
        assertThat(b).containsExactly(0, 0x44, 0x33, 0x22, 0x11, 0);
        assertThat(Messages.readInt(b, 1)).isEqualTo(0x11223344);

        Messages.writeInt(b, 2, 0x80000001);
        assertThat(Arrays.copyOfRange(b, 2, 6)).containsExactly(0x01, 0, 0, 0x80);
        assertThat(Messages.readInt(b, 2)).isEqualTo(0x80000001);

        byte[] ones = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThat(Messages.readInt(ones, 0)).isEqualTo(-1);
    }

    @Test
    void longsAreLittleEndian() {
        byte[] b = new byte[10];
        Messages.writeLong(b, 1, 0x0102030405060708L);
        assertThat(b).containsExactly(0, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        assertThat(Messages.readLong(b, 1)).isEqualTo(0x0102030405060708L);

        Messages.writeLong(b, 0, 0x00000000ffffffffL);
        assertThat(Messages.readLong(b, 0)).as("the low word is not sign-extended").isEqualTo(0xffffffffL);
        Messages.writeLong(b, 0, -1L);
        assertThat(Messages.readLong(b, 0)).isEqualTo(-1L);
        Messages.writeLong(b, 0, Long.MIN_VALUE);
        assertThat(Messages.readLong(b, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(b[7]).isEqualTo((byte) 0x80);
    }

    @Test
    void codecsAgreeWithByteBufferLittleEndian() {
        SplittableRandom r = new SplittableRandom(42);
        byte[] b = new byte[16];
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 10_000; i++) {
            int off = r.nextInt(0, 9);
            long v = r.nextLong();
            Messages.writeLong(b, off, v);
            assertThat(le.getLong(off)).isEqualTo(v);
            le.putLong(off, ~v);
            assertThat(Messages.readLong(b, off)).isEqualTo(~v);

            int w = r.nextInt();
            Messages.writeInt(b, off, w);
            assertThat(le.getInt(off)).isEqualTo(w);
            le.putInt(off, ~w);
            assertThat(Messages.readInt(b, off)).isEqualTo(~w);
        }
    }
}
