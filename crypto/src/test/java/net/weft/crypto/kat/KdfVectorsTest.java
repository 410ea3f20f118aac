package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.weft.crypto.primitive.Blake2s;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * WireGuard's {@code KDF3} (HKDF over HMAC-BLAKE2s, whitepaper section 5.4) against the three
 * key/input vectors listed in the project's shared test data ({@code shared/testdata/SOURCES.md}:
 * "test-key"/"test-input", "wireguard"/"wireguard", empty/empty), through {@link Blake2s#kdf}.
 */
class KdfVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "KDF3(\"{0}\", \"{1}\")")
    @CsvSource({
        "test-key, test-input, 6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633,"
                + " df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a,"
                + " fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24",
        "wireguard, wireguard, 491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8,"
                + " 1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f,"
                + " 31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160",
        "'', '', 8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0,"
                + " 58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e,"
                + " 0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e",
    })
    void kdf3MatchesTheVector(String key, String input, String t1, String t2, String t3) {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        byte[] in = input.getBytes(StandardCharsets.US_ASCII);
        byte[] out1 = new byte[Blake2s.HASH_LENGTH];
        byte[] out2 = new byte[Blake2s.HASH_LENGTH];
        byte[] out3 = new byte[Blake2s.HASH_LENGTH];

        Blake2s.get().kdf(k, in, out1, out2, out3);
        assertThat(HEX.formatHex(out1)).isEqualTo(t1);
        assertThat(HEX.formatHex(out2)).isEqualTo(t2);
        assertThat(HEX.formatHex(out3)).isEqualTo(t3);

        // KDF1 and KDF2 are prefixes of KDF3
        byte[] only1 = new byte[Blake2s.HASH_LENGTH];
        Blake2s.get().kdf(k, in, only1, null, null);
        assertThat(HEX.formatHex(only1)).isEqualTo(t1);
        byte[] first2 = new byte[Blake2s.HASH_LENGTH];
        byte[] second2 = new byte[Blake2s.HASH_LENGTH];
        Blake2s.get().kdf(k, in, first2, second2, null);
        assertThat(HEX.formatHex(first2)).isEqualTo(t1);
        assertThat(HEX.formatHex(second2)).isEqualTo(t2);

        // the range form over an input inside a larger array gives the same outputs
        byte[] padded = new byte[in.length + 7];
        System.arraycopy(in, 0, padded, 3, in.length);
        byte[] ranged = new byte[Blake2s.HASH_LENGTH];
        Blake2s.get().kdf(k, padded, 3, in.length, ranged, null, null);
        assertThat(HEX.formatHex(ranged)).isEqualTo(t1);
    }

    @ParameterizedTest(name = "output aliasing the 32-byte chaining key, input \"{0}\"")
    @CsvSource({"test-input", "wireguard"})
    void outputMayAliasTheKey(String input) {
        // the handshake writes the new chaining key over the old one
        byte[] in = input.getBytes(StandardCharsets.US_ASCII);
        byte[] chainingKey = HEX.parseHex("6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633");
        byte[] e1 = new byte[Blake2s.HASH_LENGTH];
        byte[] e2 = new byte[Blake2s.HASH_LENGTH];
        byte[] e3 = new byte[Blake2s.HASH_LENGTH];
        Blake2s.get().kdf(chainingKey.clone(), in, e1, e2, e3);

        byte[] o2 = new byte[Blake2s.HASH_LENGTH];
        byte[] o3 = new byte[Blake2s.HASH_LENGTH];
        Blake2s.get().kdf(chainingKey, in, chainingKey, o2, o3);
        assertThat(chainingKey).isEqualTo(e1);
        assertThat(o2).isEqualTo(e2);
        assertThat(o3).isEqualTo(e3);
    }
}
