package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.primitive.X25519;
import org.junit.jupiter.api.Test;

/**
 * RFC 7748 (Elliptic Curves for Security) known answers: section 5.2, the two single X25519
 * scalar multiplications and the iterated vector after 1 and 1,000 iterations; section 6.1, the
 * Diffie-Hellman between Alice and Bob.
 */
class X25519Rfc7748Test {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] x25519(String scalar, String u) {
        byte[] out = new byte[X25519.LENGTH];
        X25519.scalarMult(HEX.parseHex(scalar), HEX.parseHex(u), out);
        return out;
    }

    @Test
    void section52FirstVector() {
        // the scalar is not clamped and the result checks that the function clamps it
        assertThat(HEX.formatHex(x25519(
                "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")))
                .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    }

    @Test
    void section52SecondVector() {
        // the u-coordinate has its top bit set, which the function must mask
        assertThat(HEX.formatHex(x25519(
                "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")))
                .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    @Test
    void section52IteratedOnceAndThousandTimes() {
        // k = u = 9; each round: k, u = X25519(k, u), k
        byte[] k = new byte[X25519.LENGTH];
        byte[] u = new byte[X25519.LENGTH];
        k[0] = 9;
        u[0] = 9;
        byte[] next = new byte[X25519.LENGTH];
        for (int i = 1; i <= 1000; i++) {
            X25519.scalarMult(k, u, next);
            byte[] previousK = u;
            u = k;
            k = next;
            next = previousK;
            if (i == 1) {
                assertThat(HEX.formatHex(k)).as("after one iteration")
                        .isEqualTo("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
            }
        }
        assertThat(HEX.formatHex(k)).as("after 1,000 iterations")
                .isEqualTo("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
    }

    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void section61PublicKeys() {
        byte[] out = new byte[X25519.LENGTH];
        X25519.publicKey(HEX.parseHex(ALICE_PRIVATE), out);
        assertThat(HEX.formatHex(out)).isEqualTo(ALICE_PUBLIC);
        X25519.publicKey(HEX.parseHex(BOB_PRIVATE), out);
        assertThat(HEX.formatHex(out)).isEqualTo(BOB_PUBLIC);

        assertThat(PrivateKey.fromHex(ALICE_PRIVATE).publicKey()).isEqualTo(PublicKey.fromHex(ALICE_PUBLIC));
        assertThat(PrivateKey.fromHex(BOB_PRIVATE).publicKey()).isEqualTo(PublicKey.fromHex(BOB_PUBLIC));
    }

    @Test
    void section61SharedSecretBothWays() {
        byte[] aliceSide = new byte[X25519.LENGTH];
        byte[] bobSide = new byte[X25519.LENGTH];
        X25519.sharedSecret(HEX.parseHex(ALICE_PRIVATE), HEX.parseHex(BOB_PUBLIC), aliceSide);
        X25519.sharedSecret(HEX.parseHex(BOB_PRIVATE), HEX.parseHex(ALICE_PUBLIC), bobSide);
        assertThat(HEX.formatHex(aliceSide)).isEqualTo(SHARED);
        assertThat(HEX.formatHex(bobSide)).isEqualTo(SHARED);

        byte[] viaKeys = new byte[X25519.LENGTH];
        PrivateKey.fromHex(ALICE_PRIVATE).sharedSecret(PublicKey.fromHex(BOB_PUBLIC), viaKeys);
        assertThat(HEX.formatHex(viaKeys)).isEqualTo(SHARED);
        PrivateKey.fromHex(BOB_PRIVATE).sharedSecret(PublicKey.fromHex(ALICE_PUBLIC), viaKeys);
        assertThat(HEX.formatHex(viaKeys)).isEqualTo(SHARED);
    }
}
