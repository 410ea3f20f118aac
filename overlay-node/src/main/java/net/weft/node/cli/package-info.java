/** The command line: {@code weft-wg IFNAME}, with wireguard-go's contract. */
package net.weft.node.cli;
