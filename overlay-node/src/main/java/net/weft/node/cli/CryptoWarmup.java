package net.weft.node.cli;

import java.security.SecureRandom;
import java.util.Arrays;

import net.weft.crypto.primitive.ChaChaPoly;
import net.weft.crypto.primitive.SymmetricKey;

/**
 * Gets the JIT to compile JCE's ChaCha20-Poly1305 before the first packets need it.
 *
 * <p>Interpreted, JCE's ChaCha20 and Poly1305 are pure Java and take on the order of a millisecond
 * per full-size packet; the JDK's intrinsics apply only once the methods are compiled, which takes
 * some ten thousand packets. Without this, a fresh daemon's first pings take several milliseconds
 * (measured: 3.4 ms average over the first 50, against 0.6 ms once warm). Sealing and opening
 * packets under a throwaway key on a background thread compiles the same JDK methods the data path
 * calls, for every thread. About a second of one core, once, at start-up.
 */
final class CryptoWarmup {

    /** Rounds of seal and open; each round covers a full-size and a small (ACK-sized) packet. */
    static final int ROUNDS = 20_000;
    private static final int LARGE = 1424;
    private static final int SMALL = 64;

    private CryptoWarmup() {
    }

    /** Starts the warm-up on a daemon thread of low priority and returns it. */
    static Thread start() {
        Thread t = Thread.ofPlatform().name("weft-wg-warmup").daemon(true).priority(Thread.MIN_PRIORITY)
                .unstarted(() -> run(ROUNDS));
        t.start();
        return t;
    }

    private static int roundTrip(ChaChaPoly aead, SymmetricKey key, long counter, byte[] buffer, int length) {
        int sealed = aead.seal(key, counter, null, buffer, 0, length, buffer, 0);
        return aead.open(key, counter, null, buffer, 0, sealed, buffer, 0) == length ? 0 : 1;
    }

    /** Seals and opens {@code rounds} pairs of packets; returns how many failed to open (0). */
    static int run(int rounds) {
        byte[] raw = new byte[ChaChaPoly.KEY_LENGTH];
        new SecureRandom().nextBytes(raw);
        SymmetricKey key = new SymmetricKey(raw);
        Arrays.fill(raw, (byte) 0);
        ChaChaPoly aead = ChaChaPoly.get();
        byte[] buffer = new byte[LARGE + ChaChaPoly.TAG_LENGTH];
        int failures = 0;
        try {
            for (int i = 0; i < rounds; i++) {
                failures += roundTrip(aead, key, 2L * i, buffer, LARGE) + roundTrip(aead, key, 2L * i + 1, buffer, SMALL);
            }
        } finally {
            key.destroy();
        }
        return failures;
    }
}
