package net.weft.topology.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.ipam.Ipam;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.HealthCheck;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Network;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Provider;
import net.weft.topology.model.Role;
import net.weft.topology.model.Topology;

/**
 * Seeded generator of random topologies for property tests: reachable members, NAT members, relays
 * in a few regions, backbone links with tied costs, on-ramps into 198.18.0.0/15, and a live state.
 */
final class RandomTopologies {

    static final Network NETWORK = Network.withDefaults("prop", IpPrefix.parse("fd7a:115c:a1e0::/48"));
    static final List<String> REGIONS = List.of("r1", "r2", "r3");

    /** A generated case: the parts (so tests can shuffle them), and the live facts. */
    record Case(List<Node> nodes, List<OnRamp> onRamps, List<BackboneLink> links, Set<String> online,
                Map<String, String> activeGateways) {
        Topology topology() {
            return new Topology(NETWORK, nodes, onRamps, links);
        }

        RoutingPlan plan() {
            return new RoutingPlan(topology(), online, activeGateways);
        }
    }

    private RandomTopologies() {
    }

    static PublicKey key(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return PublicKey.fromBytes(b);
    }

    static Node node(Random r, Ipam ipam, String id, Set<Role> roles, boolean reachable) {
        Ipam.Allocation a = ipam.allocate(id);
        List<Endpoint> endpoints = new ArrayList<>();
        if (reachable || r.nextBoolean()) {
            String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
            endpoints.add(new Endpoint(nets[r.nextInt(3)] + (1 + r.nextInt(254)), 51820 + r.nextInt(10)));
        }
        return new Node(id, id + ".lab", key(r), a.addresses(), List.of(), roles, endpoints, reachable,
                REGIONS.get(r.nextInt(REGIONS.size())));
    }

    static Case generate(long seed) {
        Random r = new Random(seed);
        Ipam ipam = new Ipam(NETWORK.ipv4(), NETWORK.ipv6());
        List<Node> nodes = new ArrayList<>();
        int relayCount = r.nextInt(5);
        int memberCount = 2 + r.nextInt(25);
        for (int i = 0; i < relayCount; i++) {
            nodes.add(node(r, ipam, "relay-" + i, Set.of(Role.RELAY), true));
        }
        List<String> gatewayIds = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            boolean gateway = r.nextInt(4) == 0;
            String id = (gateway ? "gw-" : "n-") + i;
            if (gateway) {
                gatewayIds.add(id);
            }
            nodes.add(node(r, ipam, id, gateway ? Set.of(Role.MEMBER, Role.GATEWAY) : Set.of(Role.MEMBER),
                    r.nextInt(3) == 0));
        }
        List<BackboneLink> links = new ArrayList<>();
        for (int i = 0; i < relayCount; i++) {
            for (int j = i + 1; j < relayCount; j++) {
                if (r.nextInt(3) > 0) {
                    links.add(new BackboneLink("l-" + i + "-" + j, "relay-" + i, "relay-" + j, r.nextInt(4)));
                }
            }
        }
        List<OnRamp> onRamps = new ArrayList<>();
        Map<String, String> active = new HashMap<>();
        int rampCount = gatewayIds.isEmpty() ? 0 : r.nextInt(4);
        for (int i = 0; i < rampCount; i++) {
            List<String> pool = new ArrayList<>(gatewayIds);
            Collections.shuffle(pool, r);
            List<Gateway> gws = new ArrayList<>();
            for (int g = 0; g < 1 + r.nextInt(Math.min(3, pool.size())); g++) {
                gws.add(new Gateway(pool.get(g), r.nextInt(3) * 100));
            }
            String name = "ramp-" + i;
            onRamps.add(new OnRamp(name, Provider.GENERIC, "lab", "vpc-" + i,
                    List.of(IpPrefix.parse("198.18." + i + ".0/24"), IpPrefix.parse("198.19." + (16 * i) + ".0/20")),
                    gws, r.nextBoolean(), HealthCheck.DEFAULT));
            if (r.nextInt(5) > 0) {
                active.put(name, gws.get(r.nextInt(gws.size())).node());
            }
        }
        Set<String> online = new HashSet<>();
        for (Node n : nodes) {
            if (r.nextInt(6) > 0) {
                online.add(n.id());
            }
        }
        return new Case(nodes, onRamps, links, online, active);
    }
}
