/**
 * The WireGuard device: peers, cryptokey routing, handshakes, timers and the packet paths between
 * a {@link net.weft.node.tun.Tun} and a {@link net.weft.node.conn.Bind}, after wireguard-go's
 * {@code device/} package, one concern per file.
 *
 * <ul>
 *   <li>{@link net.weft.node.device.Device}: life cycle, configuration ({@link net.weft.node.device.Configurable}),
 *       status, the timer thread;
 *   <li>{@code Send}: outbound (TUN reader thread); {@code Receive}: inbound (bind receive thread);
 *   <li>{@code Handshakes}: initiations, responses, cookie replies, under-load mac2 and
 *       {@code RateLimiter};
 *   <li>{@code Peer}, {@code Keypairs} (previous/current/next), {@code Session} (a keypair with its
 *       peer), {@code IndexTable} (receiver index to session), {@code AllowedIps} (the prefix trie
 *       and the source check), {@code Timers} (per-peer deadlines);
 *   <li>{@link net.weft.node.device.DropReason} and {@link net.weft.node.device.DeviceCounters}:
 *       every dropped packet is counted by reason, never thrown.
 * </ul>
 *
 * <p>Threading. Crypto runs inline: each packet is sealed on the TUN reader thread and opened on
 * the bind's receive thread, which keeps every peer's packet order without queues; with forwarding
 * on (relay role) the receive thread also re-seals packets meant for another peer. Handshakes run
 * inline on whichever thread needs one (receive thread, TUN reader, timer thread) under the peer's
 * handshake lock. The packet paths read copy-on-write snapshots (identity, peer map, allowed-IPs
 * trie, index table) and never take the configuration lock; the only queue is each peer's bounded
 * list of packets waiting for a handshake.
 *
 * <p>Timers are deadlines on {@link net.weft.crypto.Clock#nanoTime()}, evaluated by one timer
 * thread every 100 ms through {@link net.weft.node.device.Device#runTimers()}; tests use a fake
 * clock and call it themselves.
 *
 * <p>Allocation. The device's own code allocates nothing per transport packet in steady state
 * (checked with JFR in {@code AllocationTest}); JCE's ChaCha20-Poly1305 allocates about 2.2 KB per
 * message inside {@code Cipher.init} on JDK 25, which no caller can avoid.
 */
package net.weft.node.device;
