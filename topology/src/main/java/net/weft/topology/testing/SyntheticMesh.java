package net.weft.topology.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
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
import net.weft.topology.routing.RoutingPlan;

/**
 * A seeded network of the shape the benchmark names: mostly reachable members, a tenth of the
 * nodes behind NAT and reached through three relays in three regions (backbone links between every two
 * relays), and five on-ramps with two gateways each, every node online, each on-ramp's preferred gateway
 * active. The same seed gives the same network. Node ids are random hex, so nodes of every kind are
 * spread over the id order, as real ids would be.
 *
 * <p>Addresses come from an {@link Ipam} the mesh keeps, so {@link #newcomer} hands out fresh ones.
 * Not thread-safe.
 */
public final class SyntheticMesh {

    /** The overlay the meshes use: the default IPv4 prefix and a fixed ULA /48. */
    public static final Network NETWORK = Network.withDefaults("synthetic", IpPrefix.parse("fd7a:115c:a1e0::/48"));
    /** The relays' regions, one relay each; every node is in one of them. */
    public static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");
    public static final int RELAYS = 3;
    public static final int ON_RAMPS = 5;
    public static final int GATEWAYS_PER_ON_RAMP = 2;

    private final Random random;
    private final Ipam ipam = new Ipam(NETWORK.ipv4(), NETWORK.ipv6());
    private final Set<String> usedIds = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<OnRamp> onRamps = new ArrayList<>();
    private final List<BackboneLink> links = new ArrayList<>();
    private final SortedMap<String, String> activeGateways = new TreeMap<>();

    private SyntheticMesh(long seed) {
        this.random = new Random(seed);
    }

    /**
     * A mesh of {@code size} nodes: 3 relays, 10 gateways, {@code size / 10} members behind NAT, the rest
     * reachable members.
     *
     * @throws IllegalArgumentException when {@code size} is below 20
     */
    public static SyntheticMesh generate(int size, long seed) {
        if (size < 20) {
            throw new IllegalArgumentException("a synthetic mesh needs at least 20 nodes, not " + size);
        }
        SyntheticMesh mesh = new SyntheticMesh(seed);
        mesh.build(size);
        return mesh;
    }

    private void build(int size) {
        List<Node> relays = new ArrayList<>();
        for (int i = 0; i < RELAYS; i++) {
            relays.add(add(node("relay-" + i, Set.of(Role.RELAY), true, REGIONS.get(i))));
        }
        // a triangle: going round by the middle relay is cheaper than the long direct link
        links.add(new BackboneLink("bb-0-1", relays.get(0).id(), relays.get(1).id(), 10));
        links.add(new BackboneLink("bb-1-2", relays.get(1).id(), relays.get(2).id(), 10));
        links.add(new BackboneLink("bb-0-2", relays.get(0).id(), relays.get(2).id(), 25));
        for (int r = 0; r < ON_RAMPS; r++) {
            String region = REGIONS.get(r % REGIONS.size());
            List<Gateway> gateways = new ArrayList<>();
            for (int g = 0; g < GATEWAYS_PER_ON_RAMP; g++) {
                Node gw = add(node("gw-" + r + "-" + g, Set.of(Role.MEMBER, Role.GATEWAY), true, region));
                gateways.add(new Gateway(gw.id(), 200 - 100 * g));
            }
            OnRamp ramp = new OnRamp("ramp-" + r, Provider.values()[r % Provider.values().length], region, "vpc-" + r,
                    List.of(IpPrefix.parse("198.18." + r + ".0/24")), gateways, true, HealthCheck.DEFAULT);
            onRamps.add(ramp);
            activeGateways.put(ramp.name(), ramp.gateways().get(0).node());
        }
        int members = size - nodes.size();
        int nat = size / 10;
        List<Boolean> behindNat = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            behindNat.add(i < nat);
        }
        Collections.shuffle(behindNat, random);
        for (int i = 0; i < members; i++) {
            add(node("m-" + i, Set.of(Role.MEMBER), !behindNat.get(i), REGIONS.get(random.nextInt(REGIONS.size()))));
        }
    }

    private Node add(Node n) {
        nodes.add(n);
        return n;
    }

    private Node node(String name, Set<Role> roles, boolean reachable, String region) {
        String id;
        do {
            id = String.format("%012x", random.nextLong() & 0xffff_ffff_ffffL);
        } while (!usedIds.add(id));
        byte[] key = new byte[32];
        random.nextBytes(key);
        List<Endpoint> endpoints = new ArrayList<>();
        // reachable nodes listen on their own address; NAT nodes report the address their NAT maps them to
        String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
        endpoints.add(new Endpoint(nets[random.nextInt(3)] + (1 + random.nextInt(254)),
                reachable ? 51820 : 1024 + random.nextInt(60000)));
        if (reachable && random.nextBoolean()) {
            endpoints.add(new Endpoint("2001:db8::" + Integer.toHexString(1 + random.nextInt(0xfffe)), 51820));
        }
        return new Node(id, name + ".synthetic", PublicKey.fromBytes(key), ipam.allocate(id).addresses(), List.of(),
                roles, endpoints, reachable, region);
    }

    /**
     * A new member that is not part of the mesh yet, with fresh addresses from the mesh's IPAM (call
     * {@link Ipam#release} on {@link #ipam()} to hand them out again).
     */
    public Node newcomer(boolean reachable) {
        return node("new-" + usedIds.size(), Set.of(Role.MEMBER), reachable, REGIONS.get(random.nextInt(REGIONS.size())));
    }

    /** Every node, in the order generated (not sorted). */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<OnRamp> onRamps() {
        return Collections.unmodifiableList(onRamps);
    }

    public List<BackboneLink> links() {
        return Collections.unmodifiableList(links);
    }

    /** The ids of every node: all are online. */
    public Set<String> online() {
        Set<String> ids = new HashSet<>();
        nodes.forEach(n -> ids.add(n.id()));
        return ids;
    }

    /** Each on-ramp's active gateway: its preferred one. */
    public Map<String, String> activeGateways() {
        return Collections.unmodifiableSortedMap(activeGateways);
    }

    /** The mesh's address allocator. */
    public Ipam ipam() {
        return ipam;
    }

    public Topology topology() {
        return new Topology(NETWORK, nodes, onRamps, links);
    }

    /** The routing plan of the whole mesh. */
    public RoutingPlan plan() {
        return new RoutingPlan(topology(), online(), activeGateways);
    }
}
