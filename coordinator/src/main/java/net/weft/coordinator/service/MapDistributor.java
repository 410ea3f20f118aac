package net.weft.coordinator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.weft.coordinator.cluster.ChangeEvent;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.NodeRecord;
import net.weft.topology.map.MapDelta;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Network;
import net.weft.topology.model.Node;
import net.weft.topology.model.Topology;
import net.weft.topology.routing.PlanChange;
import net.weft.topology.routing.RoutingPlan;
import net.weft.topology.spec.NetworkSpec;
import net.weft.topology.spec.SpecException;
import net.weft.topology.spec.SpecParser;
import net.weft.topology.wire.MapUpdate;
import org.jboss.logging.Logger;

/**
 * This member's view of the network: the routing plan at the network's current version, and the map
 * streams of the nodes connected here. A change made on any member reaches every member as a
 * {@link ChangeEvent}; a member holding the plan the change started from applies a join with topology's fast
 * path (a delta per affected node, linear in the number of nodes), and otherwise recomputes from the store
 * and diffs each connected node's map. Either way each connected node gets one delta per change of its map,
 * starting from the version it last received (a node whose map a change leaves alone gets nothing and keeps
 * its version).
 */
@ApplicationScoped
public class MapDistributor {

    /** The setting holding the network version. */
    public static final String VERSION_SETTING = "network.version";
    /** The setting holding the network's IPv6 prefix, drawn once when the network is created. */
    public static final String IPV6_SETTING = "network.ipv6";

    private static final Logger LOG = Logger.getLogger(MapDistributor.class);

    @Inject
    ClusterStore store;

    @Inject
    MeterRegistry registry;

    private Counter pushes;
    private Timer pushLatency;

    /** Guards {@link #state} and {@link #streams}; never held while waiting for the cluster's network lock. */
    private final Object lock = new Object();
    private State state;
    /** When the change being distributed was made (ms since the epoch), 0 when unknown; for the push latency. */
    private long changedAtMillis;
    /** Connected streams by node id. */
    private final Map<String, List<Stream>> streams = new HashMap<>();

    /** The plan at one version, with the model it was built from. */
    record State(long version, NetworkModel model, RoutingPlan plan) {
    }

    /** One node's stream and the version it holds. */
    private static final class Stream {
        final String nodeId;
        final MapSink sink;
        long version;

        Stream(String nodeId, MapSink sink, long version) {
            this.nodeId = nodeId;
            this.sink = sink;
            this.version = version;
        }
    }

    void onStart(@Observes StartupEvent event) {
        pushes = Counter.builder("weft_map_pushes_total").description("Map updates (full maps and deltas) sent on streams")
                .register(registry);
        pushLatency = Timer.builder("weft_map_push_latency")
                .description("From a change of the network to a map update it causes on a stream")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        store.subscribe(this::onEvent);
        current();
    }

    /** The plan at the stored version (recomputed first when this member is behind). */
    State current() {
        synchronized (lock) {
            long stored = storedVersion();
            if (state == null || state.version() != stored) {
                changedAtMillis = 0; // caught up on request: no one change to measure from
                rebuild();
            }
            return state;
        }
    }

    /** The network version in the store. */
    long storedVersion() {
        return store.setting(VERSION_SETTING).map(Long::parseLong).orElse(0L);
    }

    /** The network's IPv6 prefix: drawn at random (RFC 4193) by the first member that needs it. */
    IpPrefix ipv6() {
        return IpPrefix.parse(store.putSettingIfAbsent(IPV6_SETTING,
                Network.randomUla48(new SecureRandom()).toString()));
    }

    /** The model for {@code specYaml} (null: none) and the stored nodes, or the problems of the spec. */
    NetworkModel model(String specYaml, Collection<NodeRecord> nodes) throws SpecException {
        IpPrefix v6 = ipv6();
        if (specYaml == null) {
            return new NetworkModel(null, v6);
        }
        Set<String> known = new HashSet<>();
        nodes.forEach(n -> known.add(n.id()));
        NetworkSpec spec = new SpecParser(v6, known).parse("spec", specYaml);
        return new NetworkModel(spec, v6);
    }

    /** Recomputes from the store and sends each connected node what changed. Call with {@link #lock} held. */
    private void rebuild() {
        long version = storedVersion();
        Collection<NodeRecord> nodes = store.nodes();
        NetworkModel model;
        try {
            model = model(store.spec().orElse(null), nodes);
        } catch (SpecException e) {
            // the stored spec named a node that is gone since: route without it until a valid spec is put
            LOG.warnf("the stored network spec no longer validates; routing without it:%n%s", e.getMessage());
            model = new NetworkModel(null, ipv6());
        }
        Topology topology = model.topology(nodes);
        RoutingPlan plan = new RoutingPlan(topology, store.onlineNodes(), OnRamps.activeGateways(store, topology));
        State old = state;
        state = new State(version, model, plan);
        // a copy: a stream that turns out dead is removed while we go, which must not end the loop early
        for (List<Stream> list : List.copyOf(streams.values())) {
            for (Stream s : List.copyOf(list)) {
                resync(old, s);
            }
        }
    }

    /** Brings one stream from the old plan to the current one. */
    private void resync(State old, Stream s) {
        if (state.plan().topology().node(s.nodeId) == null) {
            s.sink.close();
            remove(s);
            return;
        }
        NetworkMap now = state.plan().mapFor(s.nodeId, state.version());
        MapUpdate update;
        if (old == null || old.plan().topology().node(s.nodeId) == null) {
            update = MapUpdate.full(now);
        } else {
            MapDelta d = MapDelta.diff(old.plan().mapFor(s.nodeId, s.version), now);
            if (d.isEmpty()) {
                return;
            }
            update = MapUpdate.delta(d);
        }
        send(s, update);
    }

    private void send(Stream s, MapUpdate update) {
        if (s.sink.send(update)) {
            s.version = update.toVersion();
            pushes.increment();
            if (changedAtMillis > 0) {
                pushLatency.record(Math.max(0, System.currentTimeMillis() - changedAtMillis), TimeUnit.MILLISECONDS);
            }
        } else {
            remove(s);
        }
    }

    private void remove(Stream s) {
        List<Stream> list = streams.get(s.nodeId);
        if (list != null) {
            list.remove(s);
            if (list.isEmpty()) {
                streams.remove(s.nodeId);
            }
        }
    }

    /**
     * Installs the plan after a join made on this member (under the cluster's network lock) and sends the
     * deltas to the nodes connected here.
     */
    void joined(State before, PlanChange change, long toVersion, long atMillis) {
        synchronized (lock) {
            changedAtMillis = atMillis;
            if (state != before) {
                rebuild(); // something moved this member meanwhile: take it from the store
                return;
            }
            install(change, toVersion);
        }
    }

    /** With {@link #lock} held: the fast path's plan and its deltas, each rewritten to start at the version its node holds. */
    private void install(PlanChange change, long toVersion) {
        state = new State(toVersion, state.model(), change.plan());
        for (MapDelta d : change.deltas()) {
            List<Stream> list = streams.get(d.nodeId());
            if (list == null) {
                continue;
            }
            for (Stream s : List.copyOf(list)) {
                send(s, MapUpdate.delta(new MapDelta(d.nodeId(), s.version, toVersion, d.self(), d.added(), d.removed(),
                        d.changed())));
            }
        }
    }

    /** A change made on some member (this one too). */
    void onEvent(ChangeEvent e) {
        try {
            follow(e);
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "change %s: this member could not follow; it recomputes on the next request", e);
            synchronized (lock) {
                state = null;
            }
        }
    }

    private void follow(ChangeEvent e) {
        synchronized (lock) {
            if (state != null && e.toVersion() <= state.version()) {
                return; // made here, or already caught up
            }
            changedAtMillis = e.changedAtMillis();
            if (state != null && e.kind() == ChangeEvent.Kind.JOIN && e.fromVersion() == state.version()) {
                NodeRecord r = store.node(e.nodeId()).orElse(null);
                if (r != null) {
                    Node node = state.model().toNode(r);
                    try {
                        install(state.plan().join(node, e.fromVersion(), e.toVersion()), e.toVersion());
                        return;
                    } catch (IllegalArgumentException ex) {
                        LOG.warnf("join of %s does not apply here (%s): recomputing", e.nodeId(), ex.getMessage());
                    }
                }
            }
            rebuild();
        }
    }

    /** Recomputes after a change made on this member under the network lock. */
    void changed(long atMillis) {
        synchronized (lock) {
            changedAtMillis = atMillis;
            rebuild();
        }
    }

    /** Node {@code nodeId}'s map at the current version. */
    public NetworkMap mapFor(String nodeId) {
        State s = current();
        if (s.plan().topology().node(nodeId) == null) {
            throw new WeftException(WeftException.Kind.NOT_FOUND, "node " + nodeId + " is not in the network");
        }
        return s.plan().mapFor(nodeId, s.version());
    }

    /**
     * Connects node {@code nodeId}'s stream: the full map first unless the node already holds the current
     * version ({@code since}), then a delta per change.
     */
    public void connect(String nodeId, Long since, MapSink sink) {
        synchronized (lock) {
            State s = current();
            if (s.plan().topology().node(nodeId) == null) {
                throw new WeftException(WeftException.Kind.NOT_FOUND, "node " + nodeId + " is not in the network");
            }
            Stream stream = new Stream(nodeId, sink, s.version());
            if (since == null || since != s.version()) {
                if (!sink.send(MapUpdate.full(s.plan().mapFor(nodeId, s.version())))) {
                    return;
                }
                pushes.increment();
            }
            streams.computeIfAbsent(nodeId, k -> new ArrayList<>()).add(stream);
        }
    }

    /** Streams connected to this member. */
    public int connectedStreams() {
        synchronized (lock) {
            return streams.values().stream().mapToInt(List::size).sum();
        }
    }
}
