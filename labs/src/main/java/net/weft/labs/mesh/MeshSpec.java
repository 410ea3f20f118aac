package net.weft.labs.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A network spec for a lab, written as the coordinator's YAML ({@code weft.dev/v1alpha1}): one {@code Network},
 * a {@code Node} per declared node (roles, reachability and region by node name, which is the name an agent joins
 * with), {@code OnRamp}s and {@code BackboneLink}s. Immutable; each {@code with...} returns a new spec.
 */
public record MeshSpec(String network, String gatewayHoldDown, List<NodeDecl> nodes, List<OnRampDecl> onRamps,
        List<LinkDecl> links) {

    /**
     * A declared node: roles among {@code member}, {@code gateway}, {@code relay}; {@code region} (null: none)
     * picks a NAT node's home relay, the lowest-id relay of its region.
     */
    public record NodeDecl(String name, List<String> roles, boolean reachable, String region) {
        public NodeDecl {
            Objects.requireNonNull(name, "name");
            roles = List.copyOf(roles);
        }
    }

    /** One gateway of an on-ramp. */
    public record GatewayDecl(String node, int priority) {
    }

    /**
     * An on-ramp ({@code provider: generic}) into {@code cidr}, with a TCP health check of {@code targets}
     * every {@code interval} (a spec duration: 500ms, 1s) and {@code failureThreshold} failures to go unhealthy.
     */
    public record OnRampDecl(String name, String cidr, List<GatewayDecl> gateways, boolean snat, List<String> targets,
            String interval, int failureThreshold) {
        public OnRampDecl {
            gateways = List.copyOf(gateways);
            targets = List.copyOf(targets);
        }
    }

    /** A backbone link between two relays. */
    public record LinkDecl(String name, String a, String b, int cost) {
    }

    public MeshSpec {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(gatewayHoldDown, "gatewayHoldDown");
        nodes = List.copyOf(nodes);
        onRamps = List.copyOf(onRamps);
        links = List.copyOf(links);
    }

    /** An empty spec for network {@code network} (overlay 100.64.0.0/10) with a gateway hold-down. */
    public static MeshSpec network(String network, String gatewayHoldDown) {
        return new MeshSpec(network, gatewayHoldDown, List.of(), List.of(), List.of());
    }

    public MeshSpec withNode(String name, boolean reachable, String... roles) {
        List<NodeDecl> all = new ArrayList<>(nodes);
        all.add(new NodeDecl(name, List.of(roles), reachable, null));
        return new MeshSpec(network, gatewayHoldDown, all, onRamps, links);
    }

    /** Puts the declared node {@code name} in {@code region}. */
    public MeshSpec withRegion(String name, String region) {
        List<NodeDecl> all = new ArrayList<>();
        boolean found = false;
        for (NodeDecl n : nodes) {
            found |= n.name().equals(name);
            all.add(n.name().equals(name) ? new NodeDecl(n.name(), n.roles(), n.reachable(), region) : n);
        }
        if (!found) {
            throw new IllegalArgumentException("no node " + name + " is declared");
        }
        return new MeshSpec(network, gatewayHoldDown, all, onRamps, links);
    }

    public MeshSpec withOnRamp(OnRampDecl onRamp) {
        List<OnRampDecl> all = new ArrayList<>(onRamps);
        all.add(onRamp);
        return new MeshSpec(network, gatewayHoldDown, nodes, all, links);
    }

    public MeshSpec withBackboneLink(String name, String a, String b, int cost) {
        List<LinkDecl> all = new ArrayList<>(links);
        all.add(new LinkDecl(name, a, b, cost));
        return new MeshSpec(network, gatewayHoldDown, nodes, onRamps, all);
    }

    /** The YAML documents, in the order network, nodes, on-ramps, links. */
    public String toYaml() {
        List<String> docs = new ArrayList<>();
        docs.add(header("Network", network) + """
                spec:
                  ipv4: 100.64.0.0/10
                  gatewayHoldDown: %s
                """.formatted(gatewayHoldDown));
        for (NodeDecl n : nodes) {
            docs.add(header("Node", n.name()) + """
                    spec:
                      roles: [%s]
                      reachable: %s
                    """.formatted(String.join(", ", n.roles()), n.reachable())
                    + (n.region() == null ? "" : "  region: " + n.region() + "\n"));
        }
        for (OnRampDecl r : onRamps) {
            StringBuilder gateways = new StringBuilder();
            for (GatewayDecl g : r.gateways()) {
                gateways.append("    - node: ").append(g.node()).append('\n')
                        .append("      priority: ").append(g.priority()).append('\n');
            }
            docs.add(header("OnRamp", r.name()) + """
                    spec:
                      provider: generic
                      region: lab
                      vpc: %s
                      cidrs: [%s]
                      gateways:
                    %s  snat: %s
                      healthCheck:
                        targets: [%s]
                        interval: %s
                        failureThreshold: %d
                    """.formatted(r.name(), r.cidr(), gateways, r.snat(),
                    String.join(", ", r.targets().stream().map(t -> "\"" + t + "\"").toList()), r.interval(),
                    r.failureThreshold()));
        }
        for (LinkDecl l : links) {
            docs.add(header("BackboneLink", l.name()) + """
                    spec:
                      between: [%s, %s]
                      cost: %d
                    """.formatted(l.a(), l.b(), l.cost()));
        }
        return String.join("---\n", docs);
    }

    private static String header(String kind, String name) {
        return """
                apiVersion: weft.dev/v1alpha1
                kind: %s
                metadata:
                  name: %s
                """.formatted(kind, name);
    }
}
