/**
 * Network labs for a userspace WireGuard daemon with wireguard-go's command-line contract: Weft's
 * {@code bin/weft-wg} against itself and against Debian's wireguard-go in both roles (issue 4),
 * and wireguard-go against itself as the labs' own control ({@code -Dweft.lab.control=true}).
 *
 * <p>{@link net.weft.labs.wg.WgLab} builds each lab from network namespaces it names per run
 * ({@code weft-lab-<run>-<role>}), veth links on TEST-NET underlays (198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32), daemons started in the foreground with {@code LOG_LEVEL=verbose}
 * and configured only with stock {@code wg}, overlay 100.64.0.0/24 and fd00:64::/64; it prints its
 * transcript and the daemon logs when a test fails and deletes everything it made afterwards.
 * {@link net.weft.labs.wg.WgInteropLabTest} holds the traffic labs (ping, IPv6 underlay, iperf3,
 * MTU 9000, roaming, the allowed-IPs source check, NAT with persistent keepalive, {@code ip link
 * del}, {@code wg show}); {@link net.weft.labs.wg.WgDaemonContractLabTest} the command line
 * (detaching, SIGTERM); {@link net.weft.labs.wg.WgQuickLabTest} {@code wg-quick up} and
 * {@code down} with {@code WG_QUICK_USERSPACE_IMPLEMENTATION}.
 *
 * <p>Needs root and wireguard-go, wireguard-tools, iproute2, iputils-ping, iperf3 and nftables
 * ({@code ./weft test} installs them); fails loudly without them unless
 * {@code WEFT_SKIP_ROOT_TESTS=1}. The WEFT cases fail, and never skip, while
 * {@code bin/weft-wg} does not exist.
 */
package net.weft.labs.wg;
