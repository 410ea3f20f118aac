/**
 * The command lines: {@code weft-wg IFNAME} ({@link net.weft.node.cli.WeftWg}, with wireguard-go's contract)
 * and {@code weft token|nodes ...} ({@link net.weft.node.cli.WeftCli}, the coordinator's admin commands over
 * its HTTP API; no dependency on the coordinator module).
 */
package net.weft.node.cli;
