package net.weft.topology.model;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.weft.crypto.key.PublicKey;

/**
 * A node of the mesh.
 *
 * @param id        the stable identifier every reference uses (on-ramp gateways, backbone links, live state);
 *                  ties in routing are broken by comparing ids
 * @param name      the host name, for people
 * @param publicKey the node's WireGuard public key
 * @param addresses overlay addresses as host prefixes ({@code /32}, {@code /128}), sorted
 * @param tags      free-form labels, sorted
 * @param roles     the node's roles
 * @param endpoints underlay endpoints where the node may be reached, sorted
 * @param reachable true when others can open a path to the node from outside (no NAT in the way)
 * @param region    where the node runs ({@code us-east-1}); relays in the same region are preferred
 */
public record Node(String id, String name, PublicKey publicKey, List<IpPrefix> addresses, List<String> tags,
                   Set<Role> roles, List<Endpoint> endpoints, boolean reachable, String region) {

    public Node {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(region, "region");
        for (IpPrefix a : addresses) {
            if (!a.isHost()) {
                throw new IllegalArgumentException("node " + id + " address " + a + " is not a single address");
            }
        }
        addresses = SortedList.copyOf(addresses);
        tags = SortedList.copyOf(tags);
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        endpoints = SortedList.copyOf(endpoints);
    }

    /** A member node with no tags, endpoints or region. */
    public static Node member(String id, PublicKey key, Collection<IpPrefix> addresses, boolean reachable) {
        return new Node(id, id, key, List.copyOf(addresses), List.of(), Set.of(Role.MEMBER), List.of(), reachable, "");
    }

    /** True when the node has {@code role}. */
    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** True when the node forwards between others: a reachable relay. */
    public boolean isRelay() {
        return reachable && roles.contains(Role.RELAY);
    }

    /** A copy with other endpoints. */
    public Node withEndpoints(List<Endpoint> newEndpoints) {
        return new Node(id, name, publicKey, addresses, tags, roles, newEndpoints, reachable, region);
    }

    /** A copy with other addresses. */
    public Node withAddresses(List<IpPrefix> newAddresses) {
        return new Node(id, name, publicKey, newAddresses, tags, roles, endpoints, reachable, region);
    }
}
