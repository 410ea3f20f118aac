package net.weft.coordinator.api;

import java.time.Instant;
import java.util.List;
import net.weft.coordinator.service.NetworkService;

/** A node as admins see it: never its credential or the credential's hash. */
public record NodeView(String id, String hostname, String publicKey, List<String> addresses, List<String> tags,
                       List<String> endpoints, String observed, boolean online, boolean expired, boolean ephemeral,
                       String tokenId, Instant joinedAt) {

    static NodeView of(NetworkService.NodeStatus s) {
        var n = s.record();
        return new NodeView(n.id(), n.hostname(), n.publicKey(), n.addresses(), n.tags(), n.endpoints(), n.observed(),
                s.online(), n.expired(), n.ephemeral(), n.tokenId(), n.joinedAt());
    }
}
