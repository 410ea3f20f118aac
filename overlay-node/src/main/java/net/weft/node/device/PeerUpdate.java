package net.weft.node.device;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.IpPrefix;

/**
 * A change to one peer, named by its public key.
 *
 * @param publicKey           the peer
 * @param remove              remove the peer (the other fields are then ignored)
 * @param updateOnly          change the peer only if it exists; never create it
 * @param presharedKey        the new preshared key; present and empty removes it (all-zero key)
 * @param endpoint            the new endpoint
 * @param persistentKeepalive seconds, 0 turns it off
 * @param replaceAllowedIps   drop the peer's allowed IPs before adding {@code allowedIps}
 * @param allowedIps          prefixes to add to the peer (moving them from any other peer)
 */
public record PeerUpdate(PublicKey publicKey, boolean remove, boolean updateOnly,
                         Optional<Optional<PresharedKey>> presharedKey, Optional<InetSocketAddress> endpoint,
                         OptionalInt persistentKeepalive, boolean replaceAllowedIps, List<IpPrefix> allowedIps) {

    public PeerUpdate {
        allowedIps = List.copyOf(allowedIps);
    }
}
