/**
 * Interop with a real WireGuard: {@code WireGuardGoInteropTest} drives Debian's wireguard-go, run
 * by {@code WireGuardGoLab} in a network namespace of its own, from a plain UDP socket with nothing
 * but {@code crypto/}: handshakes in both roles, ICMP echoes in transport messages, a replay and a
 * wrong preshared key. Needs root and wireguard-go, wg, ip and ping; fails loudly without them
 * unless {@code WEFT_SKIP_ROOT_TESTS=1}.
 */
package net.weft.crypto.interop;
