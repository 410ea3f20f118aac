/**
 * The TUN side of a device: the {@link net.weft.node.tun.Tun} contract, the Linux device reached
 * through the FFM API, and an in-memory pair for tests.
 */
package net.weft.node.tun;
