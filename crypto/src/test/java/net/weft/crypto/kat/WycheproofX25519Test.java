package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.primitive.InvalidSharedSecretException;
import net.weft.crypto.primitive.X25519;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every X25519 vector of Wycheproof ({@code C2SP/wycheproof testvectors_v1/x25519_test.json},
 * Apache-2.0; copied to {@code vectors/wycheproof-x25519_test.json}, see {@code vectors/SOURCES.md}).
 *
 * <p>Policy: {@code valid} vectors give exactly the expected shared secret. {@code acceptable} ones
 * (twist points, non-canonical and special public keys) also give the expected secret, except
 * those whose secret is all zeros (low-order points): the WireGuard whitepaper requires those to be
 * rejected, so {@link X25519#sharedSecret} throws {@link InvalidSharedSecretException}. The raw
 * RFC 7748 function {@link X25519#scalarMult} matches every vector, zeros included.
 */
class WycheproofX25519Test {

    @TestFactory
    Stream<DynamicTest> everyVector() {
        return Wycheproof.tests("wycheproof-x25519_test.json", "XDH", v -> {
            assertThat(v.group().get("curve").asText()).isEqualTo("curve25519");
            byte[] privateKey = v.hex("private");
            byte[] publicKey = v.hex("public");
            byte[] expected = v.hex("shared");

            byte[] raw = new byte[X25519.LENGTH];
            X25519.scalarMult(privateKey, publicKey, raw);
            assertThat(raw).as("X25519(k, u) as RFC 7748 defines it").isEqualTo(expected);

            byte[] shared = new byte[X25519.LENGTH];
            switch (v.result()) {
                case "valid" -> {
                    X25519.sharedSecret(privateKey, publicKey, shared);
                    assertThat(shared).isEqualTo(expected);
                }
                case "acceptable" -> {
                    if (isZero(expected)) {
                        assertThat(v.hasFlag("ZeroSharedSecret")).isTrue();
                        assertThatThrownBy(() -> X25519.sharedSecret(privateKey, publicKey, shared))
                                .isInstanceOf(InvalidSharedSecretException.class);
                        PrivateKey key = PrivateKey.fromBytes(privateKey);
                        assertThatThrownBy(() -> key.sharedSecret(PublicKey.fromBytes(publicKey), shared))
                                .isInstanceOf(InvalidSharedSecretException.class);
                    } else {
                        X25519.sharedSecret(privateKey, publicKey, shared);
                        assertThat(shared).isEqualTo(expected);
                    }
                }
                case "invalid" -> assertThatThrownBy(() -> X25519.sharedSecret(privateKey, publicKey, shared))
                        .isInstanceOf(RuntimeException.class);
                default -> throw new AssertionError("unknown result " + v.result());
            }
        });
    }

    private static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }
}
