package net.weft.node.device;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.weft.crypto.key.PrivateKey;

/**
 * One configuration change, applied as a whole or not at all (a UAPI {@code set=1} request, or the
 * agent applying a network map). Absent fields leave the setting as it is.
 *
 * @param privateKey    the new private key; present and empty removes it (all-zero key in UAPI)
 * @param listenPort    the new listen port, 0 for any free port
 * @param fwmark        the new SO_MARK, 0 to clear it
 * @param replacePeers  remove every peer not named in {@code peers} first
 * @param peers         changes to single peers, in request order
 */
public record DeviceUpdate(Optional<Optional<PrivateKey>> privateKey, OptionalInt listenPort, OptionalInt fwmark,
                           boolean replacePeers, List<PeerUpdate> peers) {

    public DeviceUpdate {
        peers = List.copyOf(peers);
    }
}
