/**
 * WireGuard keys: Curve25519 private and public keys and the optional preshared key. Final
 * classes with constant-time {@code equals}, defensive copies, zeroing, and a {@code toString}
 * that never prints secret material.
 */
package net.weft.crypto.key;
