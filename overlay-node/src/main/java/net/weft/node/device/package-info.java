/**
 * The WireGuard device: peers, cryptokey routing, handshakes, timers and the packet paths between
 * a {@link net.weft.node.tun.Tun} and a {@link net.weft.node.conn.Bind}.
 */
package net.weft.node.device;
