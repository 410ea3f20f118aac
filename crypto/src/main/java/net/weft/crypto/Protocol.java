package net.weft.crypto;

import java.time.Duration;

/**
 * The protocol's constants, as the whitepaper (section 6.1) and the reference implementations
 * define them. Spec constants only: tuning knobs belong to the node.
 */
public final class Protocol {

    /** Noise protocol name: the construction string hashed into the initial chaining key. */
    public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
    /** WireGuard's Noise prologue. */
    public static final String IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com";
    /** Label hashed with the receiver's public key to key mac1. */
    public static final String LABEL_MAC1 = "mac1----";
    /** Label hashed with the cookie sender's public key to key the cookie encryption. */
    public static final String LABEL_COOKIE = "cookie--";

    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** {@code 2^64 - 2^13 - 1}, an unsigned value: compare with {@link Long#compareUnsigned}. */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

    public static final Duration REKEY_AFTER_TIME = Duration.ofSeconds(120);
    public static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);
    public static final Duration REKEY_ATTEMPT_TIME = Duration.ofSeconds(90);
    public static final Duration REKEY_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration COOKIE_REFRESH_TIME = Duration.ofSeconds(120);
    /** At most one initiation per peer is consumed in this interval (flood protection). */
    public static final Duration HANDSHAKE_INITIATION_RATE = Duration.ofMillis(20);

    private Protocol() {
    }
}
