package net.weft.node.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerUpdate;
import net.weft.topology.map.GatewayDuty;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;

/**
 * Turns a change of the network map into the smallest device update: peers that left are removed, new
 * ones added, changed ones updated in place. A peer whose entry did not change is not touched, so its
 * session, its roamed endpoint and its counters live on; an endpoint is set only when the map's
 * endpoints for that peer changed (otherwise the peer's latest authenticated address stays, as roaming
 * wants).
 */
final class MapApplier {

    private MapApplier() {
    }

    /**
     * The device update from {@code old} (null: the device has no peers from a map yet) to {@code next}.
     */
    static DeviceUpdate update(NetworkMap old, NetworkMap next) {
        List<PeerUpdate> peers = new ArrayList<>();
        if (old != null) {
            for (Peer p : old.peers()) {
                Peer now = next.peer(p.nodeId());
                if (now == null || !now.publicKey().equals(p.publicKey())) {
                    peers.add(remove(p));
                }
            }
        }
        for (Peer p : next.peers()) {
            Peer before = old == null ? null : old.peer(p.nodeId());
            if (before != null && before.publicKey().equals(p.publicKey())) {
                if (!before.equals(p)) {
                    boolean endpointsChanged = !before.endpoints().equals(p.endpoints());
                    peers.add(new PeerUpdate(p.publicKey(), false, false, Optional.empty(),
                            endpointsChanged ? endpoint(p) : Optional.empty(),
                            OptionalInt.of(p.persistentKeepaliveSeconds()), true, p.allowedIps()));
                }
            } else {
                peers.add(new PeerUpdate(p.publicKey(), false, false, Optional.empty(), endpoint(p),
                        OptionalInt.of(p.persistentKeepaliveSeconds()), true, p.allowedIps()));
            }
        }
        return new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, peers);
    }

    private static PeerUpdate remove(Peer p) {
        return new PeerUpdate(p.publicKey(), true, false, Optional.empty(), Optional.empty(), OptionalInt.empty(),
                false, List.of());
    }

    /** The endpoint to start with: the first IPv4 one (the underlay most labs and clouds share), else the first. */
    static Optional<InetSocketAddress> endpoint(Peer p) {
        Endpoint chosen = null;
        for (Endpoint e : p.endpoints()) {
            if (!e.isIpv6()) {
                chosen = e;
                break;
            }
        }
        if (chosen == null && !p.endpoints().isEmpty()) {
            chosen = p.endpoints().getFirst();
        }
        if (chosen == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(chosen.address()), chosen.port()));
        } catch (UnknownHostException e) {
            return Optional.empty(); // an endpoint is a literal: cannot happen
        }
    }

    /**
     * The kernel routes the interface needs: every prefix a peer carries, except this node's own addresses
     * and the CIDRs of on-ramps this node is a gateway of (a gateway reaches its VPC directly, never through
     * the mesh, even while another gateway is active).
     */
    static Set<IpPrefix> routes(NetworkMap map) {
        Set<IpPrefix> own = new TreeSet<>(map.self().addresses());
        for (GatewayDuty d : map.self().gateways()) {
            own.addAll(d.cidrs());
        }
        Set<IpPrefix> out = new TreeSet<>();
        for (Peer p : map.peers()) {
            for (IpPrefix a : p.allowedIps()) {
                if (!own.contains(a)) {
                    out.add(a);
                }
            }
        }
        return out;
    }
}
