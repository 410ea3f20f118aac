package net.weft.node.uapi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.node.device.Configurable;

/** Test helpers: fixed keys whose hex is easy to read, and a whole conversation over in-memory channels. */
final class UapiTexts {

    /** Hex of 32 bytes of {@code b}. */
    static String hex(int b) {
        return String.format("%02x", b).repeat(32);
    }

    static PrivateKey privateKey(int b) {
        return PrivateKey.fromHex(hex(b));
    }

    static PublicKey publicKey(int b) {
        return PublicKey.fromHex(hex(b));
    }

    static PresharedKey presharedKey(int b) {
        return PresharedKey.fromHex(hex(b));
    }

    /**
     * Feeds {@code input} to one session as a client that then closes its end, and returns all
     * the session wrote back.
     */
    static String converse(Configurable device, UapiLimits limits, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UapiSession session = new UapiSession(device, limits,
                Channels.newChannel(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1))),
                Channels.newChannel(out), "test");
        try {
            session.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static String converse(Configurable device, String input) {
        return converse(device, UapiLimits.DEFAULTS, input);
    }

    private UapiTexts() {
    }
}
