/**
 * The {@code Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s} handshake: the generic pattern
 * ({@link net.weft.crypto.noise.NoiseIKpsk2}), WireGuard's use of it with indices, timestamps and
 * the replay and flood checks ({@link net.weft.crypto.noise.Handshake}), and the transport keypair
 * it derives ({@link net.weft.crypto.noise.Keypair}).
 */
package net.weft.crypto.noise;
