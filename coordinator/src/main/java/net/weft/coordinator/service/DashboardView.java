package net.weft.coordinator.service;

import java.time.Instant;
import java.util.List;
import net.weft.coordinator.cluster.ClusterMember;

/**
 * What the dashboard shows, as JSON ({@code GET /api/v1/topology} and the events of {@code GET /api/v1/events}).
 * Absent values are left out of the JSON. Secrets and hashes are never part of it.
 */
public final class DashboardView {

    private DashboardView() {
    }

    /**
     * Everything at once.
     *
     * @param version        the network version the nodes, links and on-ramps were computed at
     * @param at             when this member computed it
     * @param network        the overlay
     * @param nodes          every joined node (expired ones too), by id
     * @param links          the tunnels between nodes as their maps have them, and the spec's backbone links;
     *                       empty when {@code tunnelsOmitted}
     * @param tunnelsOmitted true when the network has more than {@link DashboardService#MAX_TUNNEL_NODES} nodes, which
     *                       no graph shows readably: then only backbone links are listed
     * @param onRamps        the spec's on-ramps with their gateways' health and the active gateway
     * @param tokens         join tokens, without secrets
     * @param members        the coordinator members
     */
    public record Snapshot(long version, Instant at, Network network, List<NodeInfo> nodes, List<Link> links,
                           boolean tunnelsOmitted, List<OnRampInfo> onRamps, List<TokenInfo> tokens,
                           List<ClusterMember> members) {
    }

    /**
     * What changed since the previous event: the nodes added or changed ({@code put}) and removed, and each other
     * part whole when it changed; an absent part did not change.
     */
    public record Delta(long version, Instant at, Network network, NodesDelta nodes, List<Link> links,
                        Boolean tunnelsOmitted, List<OnRampInfo> onRamps, List<TokenInfo> tokens,
                        List<ClusterMember> members) {
    }

    /** Nodes added or changed, and the ids of nodes gone. */
    public record NodesDelta(List<NodeInfo> put, List<String> removed) {
    }

    /** The overlay's name, prefixes and MTU. */
    public record Network(String name, String ipv4, String ipv6, int mtu) {
    }

    /**
     * A node.
     *
     * @param roles      its roles from the spec ({@code member}, {@code gateway}, {@code relay})
     * @param relay      true when it relays now (an online relay)
     * @param homeRelay  the relay a node behind NAT reaches the others through, when it has one
     * @param gatewayOf  the on-ramps it is a gateway of (active or standby)
     * @param rxBytes    bytes received over all its tunnels, from its latest report (absent without one)
     * @param txBytes    bytes sent, likewise
     * @param reportedAt when its latest per-peer counters arrived
     * @param tunnelsUp  tunnels with a handshake in the last 3 minutes, by its latest report
     */
    public record NodeInfo(String id, String hostname, List<String> addresses, List<String> tags,
                           List<String> endpoints, String observed, List<String> roles, boolean reachable,
                           String region, boolean online, boolean expired, boolean ephemeral, Instant joinedAt,
                           boolean relay, String homeRelay, List<String> gatewayOf, Long rxBytes, Long txBytes,
                           Instant reportedAt, Integer tunnelsUp) {
    }

    /**
     * A link between nodes {@code a < b}.
     *
     * @param kind                {@code direct} (a tunnel), {@code relay} (a node behind NAT and its home relay),
     *                            or {@code backbone} (a backbone link of the spec)
     * @param cost                a backbone link's cost
     * @param tunnel              true when the maps have the two as peers (a backbone link may be down)
     * @param lastHandshakeMillis the latest handshake either end reported, ms since the epoch (absent: none)
     */
    public record Link(String a, String b, String kind, Long cost, boolean tunnel, Long lastHandshakeMillis) {
    }

    /**
     * An on-ramp.
     *
     * @param active   the gateway the maps route its CIDRs to now; absent when none is healthy
     * @param gateways its gateways, most preferred first
     * @param targets  what the gateways probe
     */
    public record OnRampInfo(String name, String provider, String region, String vpc, List<String> cidrs, boolean snat,
                             String active, List<GatewayInfo> gateways, List<String> targets) {
    }

    /**
     * One gateway of an on-ramp.
     *
     * @param joined    the node has joined (and is not expired)
     * @param healthy   its latest verdict is healthy and has not lapsed
     * @param healthyAt when that verdict arrived
     */
    public record GatewayInfo(String node, int priority, boolean joined, boolean online, boolean healthy,
                              Instant healthyAt) {
    }

    /** A join token, never its secret or hash. */
    public record TokenInfo(String id, boolean reusable, Integer usesLeft, int used, List<String> tags,
                            boolean ephemeral, Instant createdAt, Instant expiresAt) {
    }
}
