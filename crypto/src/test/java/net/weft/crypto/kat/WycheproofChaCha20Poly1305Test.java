package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import net.weft.crypto.primitive.ChaChaPoly;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ChaCha20-Poly1305 vector of Wycheproof ({@code C2SP/wycheproof
 * testvectors_v1/chacha20_poly1305_test.json}, Apache-2.0; copied to
 * {@code vectors/wycheproof-chacha20_poly1305_test.json}, see {@code vectors/SOURCES.md}), run
 * through {@link ChaChaPoly#withNonce}, the JCE path with an arbitrary 96-bit nonce.
 *
 * <p>Valid vectors seal to exactly {@code ct || tag} and open to exactly {@code msg}. Invalid
 * ones do not open ({@code -1}); those with a nonce other than 12 bytes are also refused when
 * sealing ({@link IllegalArgumentException}), and those with a modified tag are not what sealing
 * produces.
 */
class WycheproofChaCha20Poly1305Test {

    @TestFactory
    Stream<DynamicTest> everyVector() {
        return Wycheproof.tests("wycheproof-chacha20_poly1305_test.json", "CHACHA20-POLY1305", v -> {
            assertThat(v.group().get("tagSize").asInt()).isEqualTo(ChaChaPoly.TAG_LENGTH * 8);
            byte[] key = v.hex("key");
            byte[] nonce = v.hex("iv");
            byte[] aad = v.hex("aad");
            byte[] msg = v.hex("msg");
            byte[] sealed = Wycheproof.concat(v.hex("ct"), v.hex("tag"));
            ChaChaPoly aead = ChaChaPoly.get();

            byte[] plain = new byte[Math.max(0, sealed.length - ChaChaPoly.TAG_LENGTH)];
            int opened = aead.withNonce(false, key, nonce, aad, sealed, plain);

            switch (v.result()) {
                case "valid" -> {
                    byte[] out = new byte[msg.length + ChaChaPoly.TAG_LENGTH];
                    assertThat(aead.withNonce(true, key, nonce, aad, msg, out)).isEqualTo(out.length);
                    assertThat(out).as("ct || tag").isEqualTo(sealed);
                    assertThat(opened).isEqualTo(msg.length);
                    assertThat(plain).isEqualTo(msg);
                }
                case "invalid" -> {
                    assertThat(opened).as("open of an invalid vector").isEqualTo(-1);
                    byte[] out = new byte[msg.length + ChaChaPoly.TAG_LENGTH];
                    if (nonce.length != ChaChaPoly.NONCE_LENGTH) {
                        assertThat(v.hasFlag("InvalidNonceSize")).isTrue();
                        assertThatThrownBy(() -> aead.withNonce(true, key, nonce, aad, msg, out))
                                .isInstanceOf(IllegalArgumentException.class);
                    } else {
                        aead.withNonce(true, key, nonce, aad, msg, out);
                        assertThat(out).as("sealing does not produce the modified tag").isNotEqualTo(sealed);
                    }
                }
                default -> throw new AssertionError("unknown result " + v.result());
            }
        });
    }
}
