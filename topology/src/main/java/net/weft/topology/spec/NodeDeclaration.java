package net.weft.topology.spec;

import java.util.List;
import java.util.Set;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Role;

/**
 * A node declared in the spec ({@code kind: Node}), typically a relay or gateway set up ahead of
 * its join. The document's {@code metadata.name} is the node id.
 *
 * @param id        the node id
 * @param hostname  the host name, the id unless given
 * @param publicKey the key, or null until the node joins
 * @param addresses pinned overlay addresses that IPAM must honour
 * @param tags      labels
 * @param roles     roles; {@code member} unless given
 * @param endpoints underlay endpoints
 * @param reachable true when the node can be reached from outside
 * @param region    where it runs
 */
public record NodeDeclaration(String id, String hostname, PublicKey publicKey, List<IpPrefix> addresses,
                              List<String> tags, Set<Role> roles, List<Endpoint> endpoints, boolean reachable,
                              String region) {
}
