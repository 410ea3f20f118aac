package net.weft.node.uapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.weft.crypto.key.PublicKey;
import net.weft.node.device.Configurable;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerStatus;
import net.weft.node.device.PeerUpdate;
import net.weft.topology.model.IpPrefix;

/**
 * A device that only holds configuration: applies a {@link DeviceUpdate} with wireguard-go's
 * meaning to an immutable snapshot and swaps it in, so a refused update changes nothing.
 */
final class InMemoryConfigurable implements Configurable {

    private DeviceStatus state = new DeviceStatus(Optional.empty(), 0, 0, List.of());
    private ConfigurationException failNext;
    private final AtomicInteger applied = new AtomicInteger();
    private DeviceUpdate lastUpdate;

    @Override
    public synchronized void apply(DeviceUpdate update) throws ConfigurationException {
        lastUpdate = update;
        if (failNext != null) {
            ConfigurationException e = failNext;
            failNext = null;
            throw e;
        }
        Map<PublicKey, PeerStatus> peers = new LinkedHashMap<>();
        Map<PublicKey, List<IpPrefix>> allowedIps = new HashMap<>();
        Map<IpPrefix, PublicKey> owners = new HashMap<>();
        if (!update.replacePeers()) {
            for (PeerStatus p : state.peers()) {
                peers.put(p.publicKey(), p);
                allowedIps.put(p.publicKey(), new ArrayList<>(p.allowedIps()));
                p.allowedIps().forEach(prefix -> owners.put(prefix, p.publicKey()));
            }
        }
        for (PeerUpdate u : update.peers()) {
            PeerStatus old = peers.get(u.publicKey());
            if (u.remove()) {
                if (old != null) {
                    peers.remove(u.publicKey());
                    allowedIps.remove(u.publicKey()).forEach(owners::remove);
                }
                continue;
            }
            if (old == null && u.updateOnly()) {
                continue;
            }
            if (old == null) {
                old = new PeerStatus(u.publicKey(), Optional.empty(), Optional.empty(), 0, 0, 0, 0, List.of());
                allowedIps.put(u.publicKey(), new ArrayList<>());
            }
            List<IpPrefix> ips = allowedIps.get(u.publicKey());
            if (u.replaceAllowedIps()) {
                ips.forEach(owners::remove);
                ips.clear();
            }
            for (IpPrefix prefix : u.allowedIps()) {
                // a prefix belongs to one peer: it moves
                PublicKey owner = owners.put(prefix, u.publicKey());
                if (owner == null) {
                    ips.add(prefix);
                } else if (!owner.equals(u.publicKey())) {
                    allowedIps.get(owner).remove(prefix);
                    ips.add(prefix);
                }
            }
            peers.put(u.publicKey(), new PeerStatus(u.publicKey(),
                    u.presharedKey().isPresent() ? u.presharedKey().get() : old.presharedKey(),
                    u.endpoint().isPresent() ? u.endpoint() : old.endpoint(),
                    old.lastHandshakeEpochNanos(), old.rxBytes(), old.txBytes(),
                    u.persistentKeepalive().orElse(old.persistentKeepaliveSeconds()), List.of()));
        }
        List<PeerStatus> result = new ArrayList<>();
        for (PeerStatus p : peers.values()) {
            result.add(with(p, allowedIps.get(p.publicKey())));
        }
        state = new DeviceStatus(
                update.privateKey().isPresent() ? update.privateKey().get() : state.privateKey(),
                update.listenPort().orElse(state.listenPort()),
                update.fwmark().orElse(state.fwmark()),
                result);
        applied.incrementAndGet();
    }

    @Override
    public synchronized DeviceStatus status() {
        return state;
    }

    /** Replaces the whole state, e.g. with counters a real device would have. */
    synchronized void set(DeviceStatus status) {
        state = status;
    }

    /** The next {@link #apply} throws {@code e} and changes nothing. */
    synchronized void failNext(ConfigurationException e) {
        failNext = e;
    }

    /** The update last handed to {@link #apply}, applied or not; null before the first. */
    synchronized DeviceUpdate lastUpdate() {
        return lastUpdate;
    }

    /** Updates applied so far. */
    int appliedCount() {
        return applied.get();
    }

    private static PeerStatus with(PeerStatus p, List<IpPrefix> allowedIps) {
        return new PeerStatus(p.publicKey(), p.presharedKey(), p.endpoint(), p.lastHandshakeEpochNanos(),
                p.rxBytes(), p.txBytes(), p.persistentKeepaliveSeconds(), allowedIps);
    }
}
