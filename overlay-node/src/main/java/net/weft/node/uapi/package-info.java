/**
 * The cross-platform WireGuard UAPI ({@code get=1}, {@code set=1}) on
 * {@code /var/run/wireguard/IFNAME.sock}, so stock {@code wg} and {@code wg-quick} drive a device.
 *
 * <p>{@link net.weft.node.uapi.UapiServer} owns the socket and its threads; each connection runs a
 * {@code UapiSession}, which frames requests and answers them; {@code SetRequestDecoder} turns a
 * whole {@code set=1} into one {@link net.weft.node.device.DeviceUpdate} before the device sees any
 * of it, and {@code GetResponseEncoder} writes a {@link net.weft.node.device.DeviceStatus} in
 * wireguard-go's order. Every input is bounded by {@link net.weft.node.uapi.UapiLimits}. Key
 * material is decoded from and encoded into byte buffers that are zeroed after use, never into a
 * {@code String}, and no request or answer is ever logged.
 */
package net.weft.node.uapi;
