package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.weft.crypto.primitive.ChaChaPoly;
import org.junit.jupiter.api.Test;

/**
 * RFC 8439 (ChaCha20 and Poly1305 for IETF Protocols) section 2.8.2: the AEAD_CHACHA20_POLY1305
 * example ("Ladies and Gentlemen of the class of '99..."), sealed and opened through
 * {@link ChaChaPoly#withNonce}; a flipped tag, ciphertext or AAD bit is rejected.
 */
class ChaCha20Poly1305Rfc8439Test {

    private static final HexFormat HEX = HexFormat.of();

    private static final byte[] KEY = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static final byte[] NONCE = HEX.parseHex("070000004041424344454647");
    private static final byte[] AAD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
            + "for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CIPHERTEXT = HEX.parseHex(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116");
    private static final byte[] TAG = HEX.parseHex("1ae10b594f09e26a7e902ecbd0600691");

    private static byte[] sealed() {
        return Wycheproof.concat(CIPHERTEXT, TAG);
    }

    @Test
    void sealsToTheRfcCiphertextAndTag() {
        assertThat(PLAINTEXT).hasSize(114);
        byte[] out = new byte[PLAINTEXT.length + ChaChaPoly.TAG_LENGTH];
        int n = ChaChaPoly.get().withNonce(true, KEY, NONCE, AAD, PLAINTEXT, out);
        assertThat(n).isEqualTo(out.length);
        assertThat(out).isEqualTo(sealed());
    }

    @Test
    void opensTheRfcCiphertextToThePlaintext() {
        byte[] out = new byte[PLAINTEXT.length];
        int n = ChaChaPoly.get().withNonce(false, KEY, NONCE, AAD, sealed(), out);
        assertThat(n).isEqualTo(PLAINTEXT.length);
        assertThat(out).isEqualTo(PLAINTEXT);
    }

    @Test
    void rejectsAFlippedTagBit() {
        byte[] tampered = sealed();
        tampered[tampered.length - 1] ^= 0x01;
        assertThat(ChaChaPoly.get().withNonce(false, KEY, NONCE, AAD, tampered, new byte[PLAINTEXT.length])).isEqualTo(-1);
    }

    @Test
    void rejectsAFlippedCiphertextBit() {
        byte[] tampered = sealed();
        tampered[0] ^= (byte) 0x80;
        assertThat(ChaChaPoly.get().withNonce(false, KEY, NONCE, AAD, tampered, new byte[PLAINTEXT.length])).isEqualTo(-1);
    }

    @Test
    void rejectsADifferentAad() {
        byte[] aad = AAD.clone();
        aad[0] ^= 0x01;
        assertThat(ChaChaPoly.get().withNonce(false, KEY, NONCE, aad, sealed(), new byte[PLAINTEXT.length])).isEqualTo(-1);
    }
}
