package net.weft.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.primitive.ChaChaPoly;
import net.weft.crypto.primitive.SymmetricKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cacophony {@code Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s} vector (haskell-cryptography/cacophony
 * {@code vectors/cacophony.txt}, also in mcginty/snow {@code tests/vectors/cacophony.txt}; see
 * {@code vectors/SOURCES.md}). WireGuard's handshake is this pattern with a different prologue and
 * payloads, so our handshake code run with the vector's prologue, keys and payloads must reproduce
 * both handshake messages, the handshake hash and the four transport messages byte for byte.
 */
class NoiseCacophonyVectorTest {

    private static final HexFormat HEX = HexFormat.of();
    private static JsonNode vector;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = NoiseCacophonyVectorTest.class.getResourceAsStream("/vectors/noise-ikpsk2-cacophony.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            vector = root.get("vectors").get(0);
        }
        assertThat(vector.get("protocol_name").asText()).isEqualTo("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    }

    private static byte[] hex(String field) {
        return HEX.parseHex(vector.get(field).asText());
    }

    private static byte[] message(int i, String field) {
        return HEX.parseHex(vector.get("messages").get(i).get(field).asText());
    }

    private static PresharedKey psk(String field) {
        return PresharedKey.fromBytes(HEX.parseHex(vector.get(field).get(0).asText()));
    }

    @Test
    void handshakeAndTransportMessagesMatchEveryByte() {
        PrivateKey initStatic = PrivateKey.fromBytes(hex("init_static"));
        PrivateKey respStatic = PrivateKey.fromBytes(hex("resp_static"));
        PublicKey respPublic = PublicKey.fromBytes(hex("init_remote_static"));
        assertThat(respStatic.publicKey()).isEqualTo(respPublic);

        NoiseIKpsk2 initiator = NoiseIKpsk2.withPrologue(hex("init_prologue"));
        NoiseIKpsk2 responder = NoiseIKpsk2.withPrologue(hex("resp_prologue"));

        // message A: initiator -> responder
        byte[] payload0 = message(0, "payload");
        byte[] a = new byte[payload0.length + NoiseIKpsk2.MESSAGE_A_OVERHEAD];
        int aLen = initiator.writeMessageA(initStatic, respPublic, hex("init_ephemeral"), payload0, 0, payload0.length, a, 0);
        assertThat(aLen).isEqualTo(a.length);
        assertThat(HEX.formatHex(a)).isEqualTo(HEX.formatHex(message(0, "ciphertext")));

        byte[] got0 = new byte[payload0.length];
        assertThat(responder.readMessageA(respStatic, a, 0, aLen, got0)).isEqualTo(payload0.length);
        assertThat(got0).isEqualTo(payload0);
        assertThat(responder.remoteStatic()).isEqualTo(initStatic.publicKey());

        // message B: responder -> initiator
        byte[] payload1 = message(1, "payload");
        byte[] b = new byte[payload1.length + NoiseIKpsk2.MESSAGE_B_OVERHEAD];
        int bLen = responder.writeMessageB(hex("resp_ephemeral"), psk("resp_psks"), payload1, 0, payload1.length, b, 0);
        assertThat(bLen).isEqualTo(b.length);
        assertThat(HEX.formatHex(b)).isEqualTo(HEX.formatHex(message(1, "ciphertext")));

        byte[] got1 = new byte[payload1.length];
        assertThat(initiator.readMessageB(initStatic, psk("init_psks"), b, 0, bLen, got1)).isEqualTo(payload1.length);
        assertThat(got1).isEqualTo(payload1);

        // both sides agree on the handshake hash the vector names
        assertThat(HEX.formatHex(initiator.handshakeHash())).isEqualTo(vector.get("handshake_hash").asText());
        assertThat(HEX.formatHex(responder.handshakeHash())).isEqualTo(vector.get("handshake_hash").asText());

        // Split(): initiator sends with the first key, the responder with the second
        byte[] i1 = new byte[32];
        byte[] i2 = new byte[32];
        byte[] r1 = new byte[32];
        byte[] r2 = new byte[32];
        initiator.split(i1, i2);
        responder.split(r1, r2);
        assertThat(i1).isEqualTo(r1);
        assertThat(i2).isEqualTo(r2);
        SymmetricKey initiatorToResponder = new SymmetricKey(i1);
        SymmetricKey responderToInitiator = new SymmetricKey(i2);

        ChaChaPoly aead = ChaChaPoly.get();
        long[] counters = {0, 0, 1, 1};
        for (int m = 2; m < 6; m++) {
            SymmetricKey k = (m % 2 == 0) ? initiatorToResponder : responderToInitiator;
            long n = counters[m - 2];
            byte[] plain = message(m, "payload");
            byte[] expected = message(m, "ciphertext");
            byte[] sealed = new byte[plain.length + ChaChaPoly.TAG_LENGTH];
            aead.seal(k, n, null, plain, 0, plain.length, sealed, 0);
            assertThat(HEX.formatHex(sealed)).as("transport message %d", m).isEqualTo(HEX.formatHex(expected));
            byte[] opened = new byte[plain.length];
            assertThat(aead.open(k, n, null, expected, 0, expected.length, opened, 0)).isEqualTo(plain.length);
            assertThat(opened).isEqualTo(plain);
        }
    }

    @Test
    void aTamperedMessageAIsRejectedByTheResponder() {
        PrivateKey initStatic = PrivateKey.fromBytes(hex("init_static"));
        PrivateKey respStatic = PrivateKey.fromBytes(hex("resp_static"));
        byte[] a = message(0, "ciphertext");
        byte[] payload = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            byte[] bad = Arrays.copyOf(a, a.length);
            bad[i] ^= 0x01;
            NoiseIKpsk2 responder = NoiseIKpsk2.withPrologue(hex("resp_prologue"));
            assertThat(responder.readMessageA(respStatic, bad, 0, bad.length, payload)).as("byte %d", i).isEqualTo(-1);
        }
        NoiseIKpsk2 responder = NoiseIKpsk2.withPrologue(hex("resp_prologue"));
        assertThat(responder.readMessageA(respStatic, a, 0, a.length, payload)).isEqualTo(16);
        assertThat(responder.remoteStatic()).isEqualTo(initStatic.publicKey());
    }
}
