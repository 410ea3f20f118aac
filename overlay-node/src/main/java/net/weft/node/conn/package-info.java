/**
 * The UDP side of a device: the {@link net.weft.node.conn.Bind} contract, the Netty epoll bind
 * (recvmmsg, large buffers, IPv4 and IPv6) and an in-memory network for tests.
 */
package net.weft.node.conn;
