package net.weft.node.device;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.IpPrefix;

/**
 * One peer as UAPI {@code get=1} reports it; counters as wireguard-go keeps them (bytes include
 * handshake messages).
 *
 * @param lastHandshakeEpochNanos wall-clock time of the last completed handshake in nanoseconds
 *                                since the epoch, 0 when none
 */
public record PeerStatus(PublicKey publicKey, Optional<PresharedKey> presharedKey,
                         Optional<InetSocketAddress> endpoint, long lastHandshakeEpochNanos,
                         long rxBytes, long txBytes, int persistentKeepaliveSeconds, List<IpPrefix> allowedIps) {

    public PeerStatus {
        allowedIps = List.copyOf(allowedIps);
    }
}
