package net.weft.crypto.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import net.weft.crypto.key.Key;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;

/**
 * Key parsing from config files ({@code wg}'s base64) and the UAPI (hex): any string either gives a
 * 32-byte key or throws {@link IllegalArgumentException}, nothing else, and the three key types
 * agree on what a string means.
 */
class KeyParsingFuzzTest {

    /** Base64: a key that parses prints back as base64 that parses to the same key. */
    @FuzzTest(maxDuration = "30s")
    void fromBase64(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        byte[] pub = parse(PublicKey::fromBase64, s);
        byte[] priv = parse(PrivateKey::fromBase64, s);
        byte[] psk = parse(PresharedKey::fromBase64, s);
        agree(s, pub, priv, psk);
        if (pub == null) {
            return;
        }
        String stripped = s.strip();
        if (stripped.length() != 44) {
            throw new AssertionError("a key parsed from " + stripped.length() + " base64 characters");
        }
        PublicKey key = PublicKey.fromBytes(pub);
        if (!PublicKey.fromBase64(key.toBase64()).equals(key)) {
            throw new AssertionError("a parsed key does not survive toBase64 and back");
        }
    }

    /** Hex: a key parses only from 64 ASCII hex digits, and prints back as those digits in lower case. */
    @FuzzTest(maxDuration = "30s")
    void fromHex(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        byte[] pub = parse(PublicKey::fromHex, s);
        byte[] priv = parse(PrivateKey::fromHex, s);
        byte[] psk = parse(PresharedKey::fromHex, s);
        agree(s, pub, priv, psk);
        if (pub == null) {
            return;
        }
        String hex = PublicKey.fromBytes(pub).toHex();
        if (!hex.equals(s.toLowerCase(Locale.ROOT))) {
            throw new AssertionError("\"" + s + "\" parsed as the key " + hex);
        }
    }

    /** The key's bytes, or null when the string is refused with {@link IllegalArgumentException}. */
    private static byte[] parse(Function<String, ? extends Key> parser, String s) {
        Key key;
        try {
            key = parser.apply(s);
        } catch (IllegalArgumentException refused) {
            return null;
        }
        byte[] bytes = key.toBytes();
        if (bytes.length != Key.KEY_LENGTH) {
            throw new AssertionError("parsed a " + bytes.length + "-byte key");
        }
        return bytes;
    }

    private static void agree(String s, byte[] pub, byte[] priv, byte[] psk) {
        if (!Arrays.equals(pub, priv) || !Arrays.equals(pub, psk)) {
            throw new AssertionError("key types disagree on \"" + s + "\"");
        }
    }
}
