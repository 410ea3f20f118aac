/**
 * JMH benchmarks of the WireGuard protocol core in {@code crypto/}: transport packets sealed and
 * opened in place ({@link net.weft.labs.crypto.TransportBenchmark}) and full handshakes next to the
 * X25519 operations they are built from ({@link net.weft.labs.crypto.HandshakeBenchmark}). Run with
 * {@code ./weft bench 'net.weft.labs.crypto.*'}; the figures and how they were taken are in
 * {@code BENCHMARKS.md}.
 */
package net.weft.labs.crypto;
