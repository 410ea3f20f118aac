package net.weft.labs.wg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Shell;

/**
 * A WireGuard node of a lab: a namespace, an interface {@code wl<run><role>} served by a daemon,
 * its keys, its overlay addresses {@code 100.64.0.<index>} and {@code fd00:64::<index>}.
 * Configured only through stock {@code wg}, as the issue asks.
 */
final class Node {

    /** What {@code wg show IF transfer} says for one peer. */
    record Transfer(long received, long sent) {
    }

    private final String role;
    private final int index;
    private final Namespace ns;
    private final String ifname;
    private final WgLab.Keys keys;
    private final Daemon daemon;

    Node(String role, int index, Namespace ns, String ifname, WgLab.Keys keys, Daemon daemon) {
        this.role = role;
        this.index = index;
        this.ns = ns;
        this.ifname = ifname;
        this.keys = keys;
        this.daemon = daemon;
    }

    String role() {
        return role;
    }

    Namespace ns() {
        return ns;
    }

    String ifname() {
        return ifname;
    }

    String publicKey() {
        return keys.publicKey();
    }

    WgLab.Keys keys() {
        return keys;
    }

    /** The daemon the lab started for this node, or null when something else (wg-quick) started it. */
    Daemon daemon() {
        return daemon;
    }

    String overlay4() {
        return "100.64.0." + index;
    }

    String overlay6() {
        return "fd00:64::" + index;
    }

    /** This node's overlay addresses as allowed IPs on a peer: {@code 100.64.0.N/32,fd00:64::N/128}. */
    String hostRoutes() {
        return overlay4() + "/32," + overlay6() + "/128";
    }

    /** {@code wg ARGS} in this node's namespace; the result says how it went. */
    Shell.Result wg(String... args) {
        return ns.exec(Namespace.COMMAND_TIMEOUT, concat(List.of("wg"), args));
    }

    /** {@code wg set IFNAME ARGS}, which must succeed. */
    void wgSet(String... args) {
        ns.exec(Namespace.COMMAND_TIMEOUT, concat(List.of("wg", "set", ifname), args)).check();
    }

    /** Private key and listen port. */
    void configure(int listenPort) {
        wgSet("private-key", keys.privateKey().toString(), "listen-port", String.valueOf(listenPort));
    }

    /** Adds {@code peer} with these allowed IPs, an endpoint when not null, and any further {@code wg set} peer options. */
    void addPeer(Node peer, String allowedIps, String endpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("peer", peer.publicKey(), "allowed-ips", allowedIps));
        if (endpoint != null) {
            args.addAll(List.of("endpoint", endpoint));
        }
        args.addAll(Arrays.asList(more));
        wgSet(args.toArray(String[]::new));
    }

    /** Gives the interface its overlay addresses (a /24 and a /64 route the whole overlay to it) and brings it up. */
    void up() {
        ns.addAddress(ifname, overlay4() + "/24");
        ns.addAddress(ifname, overlay6() + "/64");
        ns.ip("link", "set", ifname, "up");
    }

    /** Peer public key to endpoint, {@code (none)} when the daemon knows none. */
    Map<String, String> endpoints() {
        return columns("endpoints");
    }

    String endpointOf(Node peer) {
        return endpoints().getOrDefault(peer.publicKey(), "(no such peer)");
    }

    Transfer transferWith(Node peer) {
        String line = columns("transfer").get(peer.publicKey());
        if (line == null) {
            throw new AssertionError(ifname + " has no peer " + peer.ifname() + ":\n" + wg("show", ifname).output());
        }
        String[] both = line.split("\\s+");
        return new Transfer(Long.parseLong(both[0]), Long.parseLong(both[1]));
    }

    /** Seconds since the epoch of the latest handshake with {@code peer}, 0 for none. */
    long latestHandshakeWith(Node peer) {
        return Long.parseLong(columns("latest-handshakes").getOrDefault(peer.publicKey(), "0").trim());
    }

    /** Packets the daemon wrote into its TUN device: what the kernel received from the tunnel. */
    long tunRxPackets() {
        return Long.parseLong(ns.execOk("cat", "/sys/class/net/" + ifname + "/statistics/rx_packets").output().strip());
    }

    /** {@code wg show IFNAME WHAT}: one line per peer, the public key then the rest. */
    private Map<String, String> columns(String what) {
        Map<String, String> byPeer = new HashMap<>();
        for (String line : wg("show", ifname, what).check().output().split("\n")) {
            String[] parts = line.strip().split("\t", 2);
            if (parts.length == 2) {
                byPeer.put(parts[0], parts[1]);
            }
        }
        return byPeer;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all;
    }

    @Override
    public String toString() {
        return role + " (" + ifname + " in " + ns + (daemon != null ? ", " + daemon.impl() : "") + ")";
    }
}
