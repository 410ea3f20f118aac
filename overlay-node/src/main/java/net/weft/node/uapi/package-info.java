/**
 * The cross-platform WireGuard UAPI ({@code get=1}, {@code set=1}) on
 * {@code /var/run/wireguard/IFNAME.sock}, so stock {@code wg} and {@code wg-quick} drive a device.
 */
package net.weft.node.uapi;
