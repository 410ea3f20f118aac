package net.weft.crypto.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import net.weft.crypto.noise.LocalIdentity;
import net.weft.crypto.primitive.InvalidSharedSecretException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Private, public and preshared keys: {@code wg}'s base64, public-key derivation against real
 * {@code wg pubkey} output, equality, redacted {@code toString}, zeroing and refusal of bad input.
 */
class KeysTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /*
     * Made on 2026-05 with Debian's wireguard-tools v1.0.20210914: the first three lines with
     * `k=$(wg genkey); echo "$k $(echo $k | wg pubkey)"`; the all-0xff private key (not clamped:
     * wg pubkey clamps it, as must we) with `printf '\377%.0s' $(seq 32) | base64 | wg pubkey`;
     * the all-zero one with `head -c 32 /dev/zero | base64 | wg pubkey`.
     */
    @ParameterizedTest(name = "wg pubkey of {0}")
    @CsvSource(delimiter = ' ', value = {
        "wH3mT/TXFZiN7OS9kCuBsqBu3aXhjnvPf7ol1TtZoHc= JMQGuuol772vZwJKG5aV+tYrDO8islTqinroeboOJG0=",
        "qOImXcUTWyMBcylC8JheahuNnkKhYZqEdnSiDcjMJGs= 7YbPk+zj9bIn1pnGLwtDn+EiuaDuzNVxlLTbYoavfC0=",
        "kCyZYgOTA/Yeormn05jznWoC+ajC0r9iKV76REufAXM= 6NUqNzV05lUI4AsIggO3XHaUxa/oraUIiBD9dkGxolA=",
        "//////////////////////////////////////////8= hHwNLDdSNPNl5mCVUYejc1oPdhPRYJ06ak2MU66qWiI=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= L+V9o0fNYkMVKNqsX7spBzD/9oSvxM/C7ZCZX1jLO3Q=",
    })
    void publicKeyIsWhatWgPubkeyPrints(String privateBase64, String publicBase64) {
        PrivateKey priv = PrivateKey.fromBase64(privateBase64);
        PublicKey pub = priv.publicKey();

        assertThat(pub.toBase64()).isEqualTo(publicBase64);
        assertThat(pub).isEqualTo(PublicKey.fromBase64(publicBase64));
        assertThat(priv.toBase64()).as("the private key prints back as wg wrote it").isEqualTo(privateBase64);
    }

    @Test
    void base64RoundTripsForEveryKeyType() {
        String b64 = "wH3mT/TXFZiN7OS9kCuBsqBu3aXhjnvPf7ol1TtZoHc=";
        assertThat(PrivateKey.fromBase64(b64).toBase64()).isEqualTo(b64);
        assertThat(PublicKey.fromBase64(b64).toBase64()).isEqualTo(b64);
        assertThat(PresharedKey.fromBase64(b64).toBase64()).isEqualTo(b64);
        assertThat(PublicKey.fromBase64(b64 + "\n").toBase64())
                .as("a trailing newline, as from `wg genkey > file`, is ignored").isEqualTo(b64);
        assertThat(PublicKey.fromBase64(b64).toBytes()).isEqualTo(Base64.getDecoder().decode(b64));

        for (int i = 0; i < 50; i++) {
            PrivateKey k = PrivateKey.generate(RANDOM);
            assertThat(k.toBase64()).hasSize(44).endsWith("=");
            assertThat(PrivateKey.fromBase64(k.toBase64())).isEqualTo(k);
            PublicKey p = k.publicKey();
            assertThat(PublicKey.fromBase64(p.toBase64())).isEqualTo(p);
            PresharedKey psk = PresharedKey.generate(RANDOM);
            assertThat(PresharedKey.fromBase64(psk.toBase64())).isEqualTo(psk);
        }
    }

    @Test
    void hexIsTheUapiFormOfTheSameKey() {
        PublicKey pub = PublicKey.fromBase64("JMQGuuol772vZwJKG5aV+tYrDO8islTqinroeboOJG0=");
        String hex = pub.toHex();
        assertThat(hex).hasSize(64).isEqualTo(HexFormat.of().formatHex(pub.toBytes()));
        assertThat(PublicKey.fromHex(hex)).isEqualTo(pub);
        assertThat(PublicKey.fromHex(hex.toUpperCase())).isEqualTo(pub);
        assertThat(PrivateKey.fromHex(hex).toBase64()).isEqualTo(pub.toBase64());
        assertThat(PresharedKey.fromHex(hex).toBase64()).isEqualTo(pub.toBase64());
    }

    @Test
    void generatedPrivateKeysAreClampedAndDistinct() {
        PrivateKey a = PrivateKey.generate(RANDOM);
        PrivateKey b = PrivateKey.generate(RANDOM);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
        for (PrivateKey k : List.of(a, b)) {
            byte[] bytes = k.toBytes();
            assertThat(bytes[0] & 7).as("low three bits cleared").isZero();
            assertThat(bytes[31] & 0x80).as("top bit cleared").isZero();
            assertThat(bytes[31] & 0x40).as("second bit set").isEqualTo(0x40);
        }
    }

    @Test
    void sharedSecretIsSymmetricAndAllZeroIsRefused() {
        PrivateKey a = PrivateKey.generate(RANDOM);
        PrivateKey b = PrivateKey.generate(RANDOM);
        byte[] ab = new byte[32];
        byte[] ba = new byte[32];
        a.sharedSecret(b.publicKey(), ab);
        b.sharedSecret(a.publicKey(), ba);
        assertThat(ab).isEqualTo(ba).isNotEqualTo(new byte[32]);

        PublicKey lowOrder = PublicKey.fromBytes(new byte[32]);
        assertThatThrownBy(() -> a.sharedSecret(lowOrder, ab)).isInstanceOf(InvalidSharedSecretException.class);
    }

    @Test
    void presharedKeyNoneIsAllZeros() {
        PresharedKey none = PresharedKey.none();
        assertThat(none.isZero()).isTrue();
        assertThat(none.toBytes()).isEqualTo(new byte[32]);
        assertThat(none).isEqualTo(PresharedKey.fromBytes(new byte[32]));
        assertThat(none.toString()).isEqualTo("PresharedKey(none)");
        assertThat(PresharedKey.generate(RANDOM).isZero()).isFalse();
    }

    // ---- equality -------------------------------------------------------------------------------

    @Test
    void equalsComparesEveryByteAndTheKeyType() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        PublicKey k = PublicKey.fromBytes(bytes);

        assertThat(k).isEqualTo(PublicKey.fromBytes(bytes.clone()));
        assertThat(k.hashCode()).isEqualTo(PublicKey.fromBytes(bytes.clone()).hashCode());
        assertThat(k).isEqualTo(k);
        for (int i = 0; i < 32; i++) {
            byte[] other = bytes.clone();
            other[i] ^= 1;
            assertThat(k).as("differs in byte %d only", i).isNotEqualTo(PublicKey.fromBytes(other));
        }
        assertThat(k).as("a preshared key with the same bytes").isNotEqualTo(PresharedKey.fromBytes(bytes));
        assertThat(PrivateKey.fromBytes(bytes)).as("a private key with the same bytes").isNotEqualTo(k);
        assertThat(k.equals(null)).isFalse();
        assertThat(k.equals(bytes)).as("a raw array").isFalse();
    }

    @Test
    void equalsDoesNotStopAtTheFirstDifference() {
        // The comparison is MessageDigest.isEqual, which reads every byte whatever it finds; its
        // timing is not measured here (too noisy for a unit test), but its result must be the same
        // whether the keys differ in the first byte, the last or all of them.
        byte[] base = new byte[32];
        byte[] first = base.clone();
        first[0] = 1;
        byte[] last = base.clone();
        last[31] = 1;
        byte[] all = new byte[32];
        java.util.Arrays.fill(all, (byte) 0xff);
        PublicKey zero = PublicKey.fromBytes(base);
        assertThat(zero).isNotEqualTo(PublicKey.fromBytes(first));
        assertThat(zero).isNotEqualTo(PublicKey.fromBytes(last));
        assertThat(zero).isNotEqualTo(PublicKey.fromBytes(all));
    }

    @Test
    void keysCopyTheirBytesInAndOut() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        byte[] original = bytes.clone();
        PrivateKey k = PrivateKey.fromBytes(bytes);
        bytes[0] ^= 0xff;
        assertThat(k.toBytes()).as("changing the input array does not change the key").isEqualTo(original);
        k.toBytes()[5] ^= 0xff;
        assertThat(k.toBytes()).as("changing an output array does not change the key").isEqualTo(original);
        byte[] dst = new byte[40];
        k.copyTo(dst, 4);
        assertThat(java.util.Arrays.copyOfRange(dst, 4, 36)).isEqualTo(original);
    }

    // ---- secrets stay secret --------------------------------------------------------------------

    @Test
    void toStringNeverPrintsAKey() {
        for (int i = 0; i < 20; i++) {
            PrivateKey priv = PrivateKey.generate(RANDOM);
            PublicKey pub = priv.publicKey();
            PresharedKey psk = PresharedKey.generate(RANDOM);
            LocalIdentity identity = LocalIdentity.of(priv);
            for (Key k : List.of(priv, pub, psk)) {
                assertThat(k.toString())
                        .doesNotContain(k.toBase64())
                        .doesNotContain(k.toBase64().substring(0, 43))
                        .doesNotContain(k.toHex());
            }
            assertThat(priv.toString()).isEqualTo("PrivateKey(redacted)");
            assertThat(psk.toString()).isEqualTo("PresharedKey(redacted)");
            String b64 = pub.toBase64();
            assertThat(pub.toString()).isEqualTo("peer(" + b64.substring(0, 4) + "…" + b64.substring(39, 43) + ")");
            assertThat(identity.toString())
                    .doesNotContain(priv.toBase64().substring(0, 8))
                    .doesNotContain(priv.toHex().substring(0, 8))
                    .doesNotContain(b64);
        }
    }

    @Test
    void destroyZeroesTheKey() {
        PrivateKey priv = PrivateKey.generate(RANDOM);
        assertThat(priv.isZero()).isFalse();
        priv.destroy();
        assertThat(priv.isZero()).isTrue();
        assertThat(priv.toBytes()).isEqualTo(new byte[32]);
        assertThat(priv).isEqualTo(PrivateKey.fromBytes(new byte[32]));

        PresharedKey psk = PresharedKey.generate(RANDOM);
        psk.destroy();
        assertThat(psk.isZero()).isTrue();
        assertThat(psk).isEqualTo(PresharedKey.none());

        PrivateKey mine = PrivateKey.generate(RANDOM);
        LocalIdentity identity = LocalIdentity.of(mine);
        identity.destroy();
        assertThat(mine.isZero()).as("the identity's destroy zeroes its private key").isTrue();
    }

    @Test
    void identityRefusesAPublicKeyOfAnotherPrivateKey() {
        PrivateKey a = PrivateKey.generate(RANDOM);
        PublicKey other = PrivateKey.generate(RANDOM).publicKey();
        assertThatThrownBy(() -> new LocalIdentity(a, other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
        assertThat(LocalIdentity.of(a).publicKey()).isEqualTo(a.publicKey());
    }

    // ---- bad input ------------------------------------------------------------------------------

    @Test
    void missingKeyIsRefusedByName() {
        assertThatThrownBy(() -> PrivateKey.fromBase64(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("private key is missing");
        assertThatThrownBy(() -> PublicKey.fromBase64(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("public key is missing");
        assertThatThrownBy(() -> PresharedKey.fromBase64(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("preshared key is missing");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "not base64 at all!",
        "wH3mT/TXFZiN7OS9kCuBsqBu3aXhjnvPf7ol1TtZoH*=",
        "wH3mT/TXFZiN7OS9kCuBsqBu3aXhjnvPf7ol1TtZoHc==",
        "wH3mT_TXFZiN7OS9kCuBsqBu3aXhjnvPf7ol1TtZoHc=",
        "wH3mT/TXFZiN7OS9 kCuBsqBu3aXhjnvPf7ol1TtZoHc=",
    })
    void invalidBase64IsRefusedWithoutEchoingIt(String s) {
        for (Function<String, Key> parse : List.<Function<String, Key>>of(
                PrivateKey::fromBase64, PublicKey::fromBase64, PresharedKey::fromBase64)) {
            assertThatThrownBy(() -> parse.apply(s))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("is not valid base64")
                    .message().doesNotContain(s.strip());
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 16, 31, 33, 64})
    void base64OfTheWrongLengthIsRefusedWithTheLength(int n) {
        String s = Base64.getEncoder().encodeToString(new byte[n]);
        assertThatThrownBy(() -> PrivateKey.fromBase64(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("private key must decode to 32 bytes, got " + n);
        assertThatThrownBy(() -> PublicKey.fromBase64(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("public key must decode to 32 bytes, got " + n);
    }

    @Test
    void nonCanonicalBase64IsRefusedAsWgDoes() {
        // The 43rd character carries 4 key bits and 2 bits that must be zero. "...AB=" decodes to
        // the same bytes as "...AA=" with a lenient decoder; `wg pubkey` answers "Key is not the
        // correct length or format" for it, so one key has exactly one spelling.
        String canonical = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        assertThat(PublicKey.fromBase64(canonical).isZero()).isTrue();
        for (String s : List.of(
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC=",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD=",
                "JMQGuuol772vZwJKG5aV+tYrDO8islTqinroeboOJG1=")) {
            assertThatThrownBy(() -> PublicKey.fromBase64(s))
                    .as(s)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("public key is not valid base64");
        }
    }

    @Test
    void invalidHexIsRefused() {
        String good = "24c406baea25efbdaf67024a1b9695fad62b0cef22b254ea8a7ae879ba0e246d";
        assertThat(PublicKey.fromHex(good).toBase64()).isEqualTo("JMQGuuol772vZwJKG5aV+tYrDO8islTqinroeboOJG0=");
        for (String s : List.of("", good.substring(2), good + "00", "zz" + good.substring(2), good.substring(2) + "0x")) {
            assertThatThrownBy(() -> PrivateKey.fromHex(s))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("private key must be 64 hex digits");
        }
        assertThatThrownBy(() -> PublicKey.fromHex(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawBytesOfTheWrongLengthAreRefused() {
        assertThatThrownBy(() -> PublicKey.fromBytes(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a WireGuard key is 32 bytes, got 31");
        assertThatThrownBy(() -> PrivateKey.fromBytes(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a WireGuard key is 32 bytes, got null");
        assertThatThrownBy(() -> PresharedKey.fromBytes(new byte[33]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
