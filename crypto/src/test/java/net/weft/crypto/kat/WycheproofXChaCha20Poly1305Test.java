package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import net.weft.crypto.primitive.XChaChaPoly;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every XChaCha20-Poly1305 vector of Wycheproof ({@code C2SP/wycheproof
 * testvectors_v1/xchacha20_poly1305_test.json}, Apache-2.0; copied to
 * {@code vectors/wycheproof-xchacha20_poly1305_test.json}, see {@code vectors/SOURCES.md}), run
 * through {@link XChaChaPoly#seal} and {@link XChaChaPoly#open} (cookie replies).
 *
 * <p>Valid vectors seal to exactly {@code ct || tag} and open to exactly {@code msg}. Invalid
 * ones do not open ({@code -1}). Sealing with a nonce shorter than 24 bytes is refused
 * ({@link IllegalArgumentException}); a modified tag is not what sealing produces. The API reads
 * the nonce as 24 bytes at an offset (it sits inside the cookie reply message), so an array longer
 * than 24 bytes is not an error by contract: for the one such vector only the refusal to open is
 * checked.
 */
class WycheproofXChaCha20Poly1305Test {

    @TestFactory
    Stream<DynamicTest> everyVector() {
        return Wycheproof.tests("wycheproof-xchacha20_poly1305_test.json", "XCHACHA20-POLY1305", v -> {
            assertThat(v.group().get("tagSize").asInt()).isEqualTo(XChaChaPoly.TAG_LENGTH * 8);
            byte[] key = v.hex("key");
            byte[] nonce = v.hex("iv");
            byte[] aad = v.hex("aad");
            byte[] msg = v.hex("msg");
            byte[] sealed = Wycheproof.concat(v.hex("ct"), v.hex("tag"));

            byte[] plain = new byte[Math.max(0, sealed.length - XChaChaPoly.TAG_LENGTH)];
            int opened = XChaChaPoly.open(key, nonce, 0, aad, sealed, 0, sealed.length, plain, 0);

            switch (v.result()) {
                case "valid" -> {
                    byte[] out = new byte[msg.length + XChaChaPoly.TAG_LENGTH];
                    assertThat(XChaChaPoly.seal(key, nonce, 0, aad, msg, 0, msg.length, out, 0)).isEqualTo(out.length);
                    assertThat(out).as("ct || tag").isEqualTo(sealed);
                    assertThat(opened).isEqualTo(msg.length);
                    assertThat(plain).isEqualTo(msg);
                }
                case "invalid" -> {
                    assertThat(opened).as("open of an invalid vector").isEqualTo(-1);
                    byte[] out = new byte[msg.length + XChaChaPoly.TAG_LENGTH];
                    if (nonce.length < XChaChaPoly.NONCE_LENGTH) {
                        assertThat(v.hasFlag("InvalidNonceSize")).isTrue();
                        assertThatThrownBy(() -> XChaChaPoly.seal(key, nonce, 0, aad, msg, 0, msg.length, out, 0))
                                .isInstanceOf(IllegalArgumentException.class);
                    } else if (nonce.length == XChaChaPoly.NONCE_LENGTH) {
                        XChaChaPoly.seal(key, nonce, 0, aad, msg, 0, msg.length, out, 0);
                        assertThat(out).as("sealing does not produce the modified tag").isNotEqualTo(sealed);
                    } else {
                        assertThat(v.hasFlag("InvalidNonceSize")).isTrue();
                    }
                }
                default -> throw new AssertionError("unknown result " + v.result());
            }
        });
    }
}
