package net.weft.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.weft.crypto.Clock;
import net.weft.crypto.key.PublicKey;
import net.weft.node.device.Device;
import net.weft.node.device.DeviceCounters;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.DropReason;
import net.weft.node.device.PeerStatus;

/**
 * A device's meters: drops by reason, handshakes by result and forwarded packets and bytes (read
 * from the device's counters, nothing added to the packet paths), and per peer the received and
 * sent bytes and the age of the last handshake. Peers come and go, so {@link #refresh()} (called before every scrape) registers
 * meters for new peers and removes those of peers that left.
 *
 * <p>Prometheus names: {@code weft_packets_dropped_total{interface,reason}},
 * {@code weft_handshakes_total{interface,result}}, {@code weft_forwarded_packets_total{interface}},
 * {@code weft_tun_reads_after_write_total{interface}} (answers sent without waking the TUN reader),
 * {@code weft_forwarded_bytes_total{interface}} (relay role: decrypted packets re-encrypted to another
 * peer, counted by their IP length), {@code weft_peer_received_bytes_total{interface,peer}},
 * {@code weft_peer_sent_bytes_total{interface,peer}}, {@code weft_peer_last_handshake_age_seconds{interface,peer}}
 * (NaN before the first handshake) and {@code weft_peers{interface}}.
 */
public final class DeviceMetrics {

    /** The latest figures of one peer, which its meters read. Written by {@link #refresh()} only. */
    private static final class PeerFigures {
        volatile double rxBytes;
        volatile double txBytes;
        volatile long lastHandshakeEpochNanos;
        final List<Meter> meters = new ArrayList<>(3);
    }

    private final Device device;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Tags deviceTags;
    /** Meters per peer; guarded by {@code this} (scrapes may overlap). */
    private final Map<PublicKey, PeerFigures> peers = new HashMap<>();
    private volatile int peerCount;

    public DeviceMetrics(Device device, MeterRegistry registry, Clock clock) {
        this.device = device;
        this.registry = registry;
        this.clock = clock;
        this.deviceTags = Tags.of("interface", device.name());
        DeviceCounters counters = device.counters();
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("weft.packets.dropped", counters, c -> c.drops(reason))
                    .description("Packets the device dropped, by reason")
                    .tags(deviceTags).tag("reason", reason.name().toLowerCase())
                    .register(registry);
        }
        for (DeviceCounters.Handshake event : DeviceCounters.Handshake.values()) {
            FunctionCounter.builder("weft.handshakes", counters, c -> c.handshakes(event))
                    .description("Handshake messages and outcomes, by result")
                    .tags(deviceTags).tag("result", event.name().toLowerCase())
                    .register(registry);
        }
        FunctionCounter.builder("weft.forwarded.packets", counters, DeviceCounters::forwardedPackets)
                .description("Decrypted packets re-encrypted to another peer instead of written to the TUN (relay)")
                .tags(deviceTags)
                .register(registry);
        FunctionCounter.builder("weft.forwarded.bytes", counters, DeviceCounters::forwardedBytes)
                .description("IP bytes of the packets forwarded to another peer")
                .baseUnit("bytes").tags(deviceTags)
                .register(registry);
        FunctionCounter.builder("weft.tun.reads.after.write", counters, DeviceCounters::readsAfterWrite)
                .description("TUN packets the UDP receive thread read and sent right after writing to the TUN, in the reader's place")
                .tags(deviceTags)
                .register(registry);
        Gauge.builder("weft.peers", this, m -> m.peerCount)
                .description("Peers configured on the device")
                .tags(deviceTags)
                .register(registry);
    }

    /** Brings the per-peer meters up to date with the device. */
    public synchronized void refresh() {
        DeviceStatus status = device.status();
        Set<PublicKey> present = new HashSet<>();
        for (PeerStatus p : status.peers()) {
            present.add(p.publicKey());
            PeerFigures f = peers.computeIfAbsent(p.publicKey(), this::register);
            f.rxBytes = p.rxBytes();
            f.txBytes = p.txBytes();
            f.lastHandshakeEpochNanos = p.lastHandshakeEpochNanos();
        }
        peers.entrySet().removeIf(e -> {
            if (present.contains(e.getKey())) {
                return false;
            }
            e.getValue().meters.forEach(registry::remove);
            return true;
        });
        peerCount = peers.size();
    }

    private PeerFigures register(PublicKey key) {
        PeerFigures f = new PeerFigures();
        Tags tags = deviceTags.and("peer", key.toBase64());
        f.meters.add(FunctionCounter.builder("weft.peer.received.bytes", f, x -> x.rxBytes)
                .description("Bytes received from the peer, handshake messages included")
                .baseUnit("bytes").tags(tags).register(registry));
        f.meters.add(FunctionCounter.builder("weft.peer.sent.bytes", f, x -> x.txBytes)
                .description("Bytes sent to the peer, handshake messages included")
                .baseUnit("bytes").tags(tags).register(registry));
        f.meters.add(Gauge.builder("weft.peer.last.handshake.age", f, this::handshakeAgeSeconds)
                .description("Seconds since the last completed handshake with the peer (NaN before the first)")
                .baseUnit("seconds").tags(tags).register(registry));
        return f;
    }

    private double handshakeAgeSeconds(PeerFigures f) {
        long at = f.lastHandshakeEpochNanos;
        if (at == 0) {
            return Double.NaN;
        }
        Instant now = clock.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return Math.max(0, nowNanos - at) / 1e9;
    }
}
