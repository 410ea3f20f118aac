package net.weft.node.device;

import java.util.List;
import java.util.Optional;
import net.weft.crypto.key.PrivateKey;

/**
 * What the device holds and has counted, as UAPI {@code get=1} reports it.
 *
 * @param privateKey the private key, when one is set
 * @param listenPort the bound port (0 when none)
 * @param fwmark     SO_MARK, 0 when unset
 * @param peers      every peer, in the order they were added
 */
public record DeviceStatus(Optional<PrivateKey> privateKey, int listenPort, int fwmark, List<PeerStatus> peers) {

    public DeviceStatus {
        peers = List.copyOf(peers);
    }
}
