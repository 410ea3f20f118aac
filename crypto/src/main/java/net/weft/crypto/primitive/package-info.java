/**
 * The primitives WireGuard names (whitepaper section 5.4): X25519 (Bouncy Castle), BLAKE2s-256
 * and its HMAC, the KDF1/KDF2/KDF3 chain, keyed BLAKE2s-128 for mac1 and mac2, ChaCha20-Poly1305
 * through JCE with a 64-bit little-endian counter nonce, XChaCha20-Poly1305 for cookie replies,
 * and TAI64N timestamps.
 */
package net.weft.crypto.primitive;
