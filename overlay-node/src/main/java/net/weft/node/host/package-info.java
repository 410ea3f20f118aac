/**
 * The host around the overlay interface, configured the way {@code wg-quick} does it and for the on-ramp
 * gateway role: interface addresses, MTU and routes ({@link net.weft.node.host.InterfaceConfig}), kernel
 * forwarding ({@link net.weft.node.host.Forwarding}), the gateway's nftables table for source NAT and
 * MSS clamping ({@link net.weft.node.host.GatewayFirewall}), and the probes of on-ramp health-check
 * targets ({@link net.weft.node.host.HealthProber}).
 *
 * <p>Everything here shells out to {@code ip} and {@code nft} or writes {@code /proc/sys} through a
 * {@link net.weft.node.host.Command}, whose prefix is empty on a node and {@code ip netns exec NS} in
 * tests. A failed command is an {@link java.io.IOException} with the command line and its standard
 * error. These classes hold no agent logic: the agent decides what to configure and when.
 */
package net.weft.node.host;
