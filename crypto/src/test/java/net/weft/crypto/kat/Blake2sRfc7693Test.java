package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import net.weft.crypto.primitive.Blake2s;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 7693 (The BLAKE2 Cryptographic Hash and MAC): appendix B, BLAKE2s-256("abc"); appendix E,
 * the self-test whose grand hash covers unkeyed and keyed BLAKE2s of digest lengths 16, 20, 28
 * and 32 over seeded inputs of 0 to 1024 bytes. Then WireGuard's two constructions on top:
 * {@code MAC} (keyed BLAKE2s-128) against Bouncy Castle's {@link Blake2sDigest} used directly and
 * against values computed with Python's {@code hashlib.blake2s(digest_size=16, key=...)}, and
 * {@code HMAC} against a by-hand RFC 2104 construction.
 */
class Blake2sRfc7693Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void appendixBAbc() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        String expected = "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982";
        byte[] out = new byte[Blake2s.HASH_LENGTH];

        Blake2s.get().hash(abc, null, out);
        assertThat(HEX.formatHex(out)).isEqualTo(expected);

        Arrays.fill(out, (byte) 0);
        Blake2s.get().hash("a".getBytes(StandardCharsets.US_ASCII), "bc".getBytes(StandardCharsets.US_ASCII), out);
        assertThat(HEX.formatHex(out)).as("hash(a, b) is the hash of a || b").isEqualTo(expected);

        Arrays.fill(out, (byte) 0);
        Blake2s.get().hash("xabcx".getBytes(StandardCharsets.US_ASCII), 1, 3, out);
        assertThat(HEX.formatHex(out)).as("range form").isEqualTo(expected);
    }

    /** RFC 7693 appendix E {@code selftest_seq}: a Fibonacci-like generator seeded with {@code 0xDEAD4BAD * seed}. */
    private static byte[] selftestSeq(int len, int seed) {
        byte[] out = new byte[len];
        int a = 0xDEAD4BAD * seed;
        int b = 1;
        for (int i = 0; i < len; i++) {
            int t = a + b;
            a = b;
            b = t;
            out[i] = (byte) (t >>> 24);
        }
        return out;
    }

    private static byte[] bouncyCastle(byte[] key, int digestLength, byte[] in) {
        Blake2sDigest d = new Blake2sDigest(key, digestLength, null, null);
        d.update(in, 0, in.length);
        byte[] out = new byte[digestLength];
        d.doFinal(out, 0);
        return out;
    }

    @Test
    void appendixESelfTest() {
        // Our code where it has the shape (unkeyed 256-bit HASH, keyed 128-bit MAC, and the grand
        // hash itself), Bouncy Castle's digest for the other lengths.
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        for (int outLen : new int[] {16, 20, 28, 32}) {
            for (int inLen : new int[] {0, 3, 64, 65, 255, 1024}) {
                byte[] in = selftestSeq(inLen, inLen);
                byte[] unkeyed;
                if (outLen == Blake2s.HASH_LENGTH) {
                    unkeyed = new byte[Blake2s.HASH_LENGTH];
                    Blake2s.get().hash(in, 0, in.length, unkeyed);
                } else {
                    unkeyed = bouncyCastle(null, outLen, in);
                }
                hashes.writeBytes(unkeyed);

                byte[] key = selftestSeq(outLen, outLen);
                byte[] keyed;
                if (outLen == Blake2s.MAC_LENGTH) {
                    keyed = new byte[Blake2s.MAC_LENGTH];
                    Blake2s.mac(key, in, 0, in.length, keyed, 0);
                } else {
                    keyed = bouncyCastle(key, outLen, in);
                }
                hashes.writeBytes(keyed);
            }
        }
        byte[] grand = new byte[Blake2s.HASH_LENGTH];
        Blake2s.get().hash(hashes.toByteArray(), null, grand);
        assertThat(HEX.formatHex(grand)).isEqualTo("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe");
    }

    @ParameterizedTest(name = "MAC, key length {0}, message length {1}")
    @CsvSource({"1, 0", "16, 3", "32, 0", "32, 64", "32, 65", "32, 148", "8, 1000"})
    void macIsKeyedBlake2s128(int keyLength, int messageLength) {
        byte[] key = selftestSeq(keyLength, keyLength + 7);
        byte[] message = selftestSeq(messageLength, messageLength + 1);
        byte[] expected = bouncyCastle(key, Blake2s.MAC_LENGTH, message);

        // the message and the output inside larger arrays, as mac1/mac2 sit inside a message
        byte[] buffer = new byte[messageLength + 10];
        System.arraycopy(message, 0, buffer, 5, messageLength);
        byte[] out = new byte[Blake2s.MAC_LENGTH + 6];
        Blake2s.mac(key, buffer, 5, messageLength, out, 3);
        assertThat(Arrays.copyOfRange(out, 3, 3 + Blake2s.MAC_LENGTH)).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(out, 0, 3)).containsOnly(0);
        assertThat(Arrays.copyOfRange(out, 3 + Blake2s.MAC_LENGTH, out.length)).containsOnly(0);
    }

    @ParameterizedTest(name = "MAC = hashlib.blake2s(digest_size=16, key=00..1f), message length {0}")
    @CsvSource({
        "0, 9536f9b267655743dee97b8a670f9f53",
        "3, 61ba5f165c194692e09d12520cc4c74a",
        "200, 42a6f8ff590af21b512e9e088257aa34",
    })
    void macMatchesAnIndependentImplementation(int messageLength, String expected) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        byte[] message = messageLength == 3 ? "abc".getBytes(StandardCharsets.US_ASCII) : new byte[messageLength];
        if (messageLength != 3) {
            for (int i = 0; i < messageLength; i++) {
                message[i] = (byte) i;
            }
        }
        byte[] out = new byte[Blake2s.MAC_LENGTH];
        Blake2s.mac(key, message, 0, message.length, out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(expected);
    }

    /** RFC 2104 by hand: {@code H((K ^ opad) || H((K ^ ipad) || m))}, K zero-padded to the 64-byte block. */
    private static byte[] rfc2104(byte[] key, byte[] message) {
        byte[] ipad = new byte[Blake2s.BLOCK_LENGTH];
        byte[] opad = new byte[Blake2s.BLOCK_LENGTH];
        for (int i = 0; i < Blake2s.BLOCK_LENGTH; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        byte[] inner = bouncyCastle(null, Blake2s.HASH_LENGTH, Wycheproof.concat(ipad, message));
        return bouncyCastle(null, Blake2s.HASH_LENGTH, Wycheproof.concat(opad, inner));
    }

    @ParameterizedTest(name = "HMAC, key length {0}, message length {1}")
    @CsvSource({"0, 0", "1, 1", "8, 10", "32, 0", "32, 33", "32, 64", "32, 65", "64, 200"})
    void hmacIsRfc2104OverBlake2s(int keyLength, int messageLength) {
        byte[] key = selftestSeq(keyLength, keyLength + 3);
        byte[] message = selftestSeq(messageLength, messageLength + 5);
        byte[] buffer = new byte[messageLength + 9];
        System.arraycopy(message, 0, buffer, 4, messageLength);

        byte[] out = new byte[Blake2s.HASH_LENGTH];
        Blake2s.get().hmac(key, buffer, 4, messageLength, out);
        assertThat(out).isEqualTo(rfc2104(key, message));
    }
}
