/**
 * The WireGuard protocol as pure functions and small state machines: keys, primitives, the
 * {@code Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s} handshake, message codecs, mac1/mac2 and cookies,
 * and the replay filter. No I/O and no threads: time comes in through {@link net.weft.crypto.Clock}.
 */
package net.weft.crypto;
