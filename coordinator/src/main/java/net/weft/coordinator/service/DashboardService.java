package net.weft.coordinator.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.NodeRecord;
import net.weft.coordinator.cluster.PeerReports;
import net.weft.coordinator.service.DashboardView.Delta;
import net.weft.coordinator.service.DashboardView.GatewayInfo;
import net.weft.coordinator.service.DashboardView.Link;
import net.weft.coordinator.service.DashboardView.NodeInfo;
import net.weft.coordinator.service.DashboardView.NodesDelta;
import net.weft.coordinator.service.DashboardView.OnRampInfo;
import net.weft.coordinator.service.DashboardView.Snapshot;
import net.weft.coordinator.service.DashboardView.TokenInfo;
import net.weft.topology.map.Peer;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.Node;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Topology;
import net.weft.topology.routing.RoutingPlan;
import net.weft.topology.wire.PeerReport;
import org.jboss.logging.Logger;

/**
 * The dashboard's picture of the network ({@link DashboardView}) and its live streams. One thread per member
 * ({@code weft-dashboard}) owns the streams and the last picture sent: whenever a change event arrives (a join,
 * a node or on-ramp change on any member) or something is {@link #poke() poked}, and at least every
 * {@link #TICK} (per-peer counters, health verdicts and tokens change without one), it computes the picture once
 * and sends every stream the same delta, if anything changed. Nothing is computed while no stream is open.
 */
@ApplicationScoped
public class DashboardService {

    /** Above this many nodes the picture lists no tunnels (a full mesh of them is n²/2 lines nobody can read). */
    public static final int MAX_TUNNEL_NODES = 200;
    static final Duration TICK = Duration.ofSeconds(1);
    /** A stream that got nothing for this many ticks gets a comment line. */
    static final int KEEPALIVE_TICKS = 15;
    /** A tunnel whose last handshake is older than this is not counted as up (REJECT_AFTER_TIME, 180 s). */
    static final Duration TUNNEL_UP = Duration.ofSeconds(180);

    private static final Logger LOG = Logger.getLogger(DashboardService.class);

    @Inject
    ClusterStore store;

    @Inject
    MapDistributor maps;

    @Inject
    TokenService tokens;

    @Inject
    ObjectMapper json;

    Clock clock = Clock.systemUTC();

    /** Runs every stream's work; from start to shutdown. Everything below marked "thread" belongs to it. */
    private ScheduledExecutorService thread;
    /** Thread: the open streams. */
    private final List<Stream> streams = new ArrayList<>();
    /** Thread: the picture the streams hold, null while none is open. */
    private Snapshot last;
    /** Thread: the id of the last event sent. */
    private long eventId;
    /** Set while a poke waits to run, so a burst of changes computes once. */
    private final AtomicBoolean pokePending = new AtomicBoolean();
    /** The tunnels at one network version: computing them asks every node's map, so once per version. */
    private volatile Tunnels tunnels;

    private record Tunnels(long version, Map<String, Link> byPair) {
    }

    private static final class Stream {
        final DashboardSink sink;
        int idleTicks;

        Stream(DashboardSink sink) {
            this.sink = sink;
        }
    }

    void onStart(@Observes StartupEvent event) {
        thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("weft-dashboard").factory());
        thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        store.subscribe(e -> poke());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** The picture now. */
    public Snapshot snapshot() {
        return build();
    }

    /** Something the picture shows changed here (a token, a logout): the streams hear of it now, not at the next tick. */
    public void poke() {
        if (thread != null && pokePending.compareAndSet(false, true)) {
            run(() -> {
                pokePending.set(false);
                tick();
            });
        }
    }

    /** Opens a stream: the whole picture first ({@code snapshot}), then a {@code delta} per change. */
    public void connect(DashboardSink sink) {
        run(() -> {
            Snapshot now = build();
            if (last != null) {
                broadcast(delta(last, now)); // the others catch up first, so all hold the same picture
            }
            last = now;
            if (sink.send("snapshot", ++eventId, write(now))) {
                streams.add(new Stream(sink));
            }
        });
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "dashboard update failed; trying again at the next tick");
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Thread: ends streams whose session ended, sends what changed, keeps idle streams alive. */
    private void tick() {
        if (streams.isEmpty()) {
            last = null;
            return;
        }
        streams.removeIf(s -> {
            String key = s.sink.sessionKey();
            if (key != null && store.session(key).isEmpty()) {
                s.sink.close();
                return true;
            }
            return false;
        });
        if (streams.isEmpty()) {
            last = null;
            return;
        }
        Snapshot now = build();
        Delta d = last == null ? null : delta(last, now);
        last = now;
        if (d != null) {
            broadcast(d);
        }
        streams.removeIf(s -> {
            if (++s.idleTicks < KEEPALIVE_TICKS) {
                return false;
            }
            s.idleTicks = 0;
            if (!s.sink.keepAlive()) {
                s.sink.close();
                return true;
            }
            return false;
        });
    }

    /** Thread: sends {@code d} (null: nothing changed) to every stream. */
    private void broadcast(Delta d) {
        if (d == null) {
            return;
        }
        String text = write(d);
        long id = ++eventId;
        streams.removeIf(s -> {
            s.idleTicks = 0;
            if (s.sink.send("delta", id, text)) {
                return false;
            }
            s.sink.close();
            return true;
        });
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What changed from {@code a} to {@code b}; null when nothing did (the time aside). */
    static Delta delta(Snapshot a, Snapshot b) {
        Map<String, NodeInfo> before = new HashMap<>();
        a.nodes().forEach(n -> before.put(n.id(), n));
        List<NodeInfo> put = new ArrayList<>();
        for (NodeInfo n : b.nodes()) {
            if (!n.equals(before.remove(n.id()))) {
                put.add(n);
            }
        }
        List<String> removed = before.keySet().stream().sorted().toList();
        NodesDelta nodes = put.isEmpty() && removed.isEmpty() ? null : new NodesDelta(put, removed);
        Delta d = new Delta(b.version(), b.at(), changed(a.network(), b.network()), nodes, changed(a.links(), b.links()),
                changed(a.tunnelsOmitted(), b.tunnelsOmitted()), changed(a.onRamps(), b.onRamps()),
                changed(a.tokens(), b.tokens()), changed(a.members(), b.members()));
        boolean same = a.version() == b.version() && d.network() == null && d.nodes() == null && d.links() == null
                && d.tunnelsOmitted() == null && d.onRamps() == null && d.tokens() == null && d.members() == null;
        return same ? null : d;
    }

    private static <T> T changed(T before, T after) {
        return Objects.equals(before, after) ? null : after;
    }

    // --- the picture ---------------------------------------------------------------------------------------

    private Snapshot build() {
        MapDistributor.State state = maps.current();
        RoutingPlan plan = state.plan();
        Topology topology = plan.topology();
        NetworkModel model = state.model();
        Instant now = clock.instant();
        Collection<NodeRecord> records = store.nodes();
        Set<String> online = store.onlineNodes();
        Map<String, PeerReports> reports = new HashMap<>();
        for (PeerReports r : store.allPeerReports()) {
            reports.put(r.nodeId(), r);
        }
        List<OnRamp> ramps = model.spec() == null ? List.of() : model.spec().onRamps();

        List<NodeInfo> nodes = new ArrayList<>();
        for (NodeRecord r : records.stream().sorted(java.util.Comparator.comparing(NodeRecord::id)).toList()) {
            nodes.add(nodeInfo(r, model.toNode(r), plan, online, reports.get(r.id()), ramps, now));
        }

        boolean omitted = topology.nodes().size() > MAX_TUNNEL_NODES;
        List<Link> links = links(state, omitted, reports);

        OnRamps.Health health = OnRamps.health(store);
        List<OnRampInfo> onRamps = new ArrayList<>();
        Map<String, NodeRecord> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.id(), r));
        for (OnRamp o : ramps) {
            Map<String, Instant> healthy = health.healthyAt().getOrDefault(o.name(), Map.of());
            Duration lapse = OnRamps.lapseAfter(o);
            List<GatewayInfo> gateways = new ArrayList<>();
            for (Gateway g : o.gateways().stream().sorted(Gateway.PREFERENCE).toList()) {
                NodeRecord r = byId.get(g.node());
                Instant at = healthy.get(g.node());
                gateways.add(new GatewayInfo(g.node(), g.priority(), r != null && !r.expired(), online.contains(g.node()),
                        at != null && !at.plus(lapse).isBefore(now), at));
            }
            onRamps.add(new OnRampInfo(o.name(), o.provider().name().toLowerCase(Locale.ROOT), o.region(), o.vpc(),
                    o.cidrs().stream().map(Object::toString).toList(), o.snat(), plan.activeGateways().get(o.name()),
                    gateways, o.healthCheck().targets().stream().map(Object::toString).toList()));
        }

        List<TokenInfo> tokenInfos = tokens.list().stream().map(t -> new TokenInfo(t.id(), t.reusable(), t.usesLeft(),
                t.used(), t.tags(), t.ephemeral(), t.createdAt(), t.expiresAt())).toList();
        var n = topology.network();
        return new Snapshot(state.version(), now,
                new DashboardView.Network(n.name(), n.ipv4().toString(), n.ipv6().toString(), n.mtu()),
                nodes, links, omitted, onRamps, tokenInfos, store.memberList());
    }

    private static NodeInfo nodeInfo(NodeRecord r, Node node, RoutingPlan plan, Set<String> online, PeerReports report,
                                     List<OnRamp> ramps, Instant now) {
        boolean inPlan = plan.topology().node(r.id()) != null;
        List<String> gatewayOf = ramps.stream()
                .filter(o -> o.gateways().stream().anyMatch(g -> g.node().equals(r.id()))).map(OnRamp::name).toList();
        Long rx = null;
        Long tx = null;
        Integer up = null;
        Instant reportedAt = null;
        if (report != null) {
            rx = report.peers().stream().mapToLong(PeerReport::rxBytes).sum();
            tx = report.peers().stream().mapToLong(PeerReport::txBytes).sum();
            long since = now.minus(TUNNEL_UP).toEpochMilli();
            up = (int) report.peers().stream().filter(p -> p.lastHandshakeMillis() > since).count();
            reportedAt = Instant.ofEpochMilli(report.receivedAtMillis());
        }
        return new NodeInfo(r.id(), r.hostname(), r.addresses(), node.tags(), r.endpoints(), r.observed(),
                node.roles().stream().map(role -> role.name().toLowerCase(Locale.ROOT)).sorted().toList(),
                node.reachable(), node.region().isEmpty() ? null : node.region(), online.contains(r.id()), r.expired(),
                r.ephemeral(), r.joinedAt(), plan.activeRelays().contains(r.id()), inPlan ? plan.homeRelay(r.id()) : null,
                gatewayOf, rx, tx, reportedAt, up);
    }

    /** The links, with the latest handshake either end reported. */
    private List<Link> links(MapDistributor.State state, boolean omitted, Map<String, PeerReports> reports) {
        Tunnels t = tunnels;
        if (t == null || t.version() != state.version()) {
            t = new Tunnels(state.version(), tunnels(state.plan(), omitted));
            tunnels = t;
        }
        List<Link> out = new ArrayList<>(t.byPair().size());
        for (Link l : t.byPair().values()) {
            long hs = Math.max(handshake(reports.get(l.a()), l.b()), handshake(reports.get(l.b()), l.a()));
            out.add(hs > 0 ? new Link(l.a(), l.b(), l.kind(), l.cost(), l.tunnel(), hs) : l);
        }
        return out;
    }

    private static long handshake(PeerReports report, String peer) {
        if (report == null) {
            return 0;
        }
        for (PeerReport p : report.peers()) {
            if (p.nodeId().equals(peer)) {
                return p.lastHandshakeMillis();
            }
        }
        return 0;
    }

    /** Every pair of peers in the maps (unless omitted) and every backbone link, by pair, sorted. */
    private static Map<String, Link> tunnels(RoutingPlan plan, boolean omitted) {
        Topology topology = plan.topology();
        Map<String, BackboneLink> backbone = new HashMap<>();
        for (BackboneLink l : topology.links().values()) {
            backbone.put(pair(l.a(), l.b()), l);
        }
        TreeMap<String, Link> out = new TreeMap<>();
        if (!omitted) {
            for (String id : topology.nodes().keySet()) {
                for (Peer p : plan.mapFor(id, 0).peers()) {
                    String key = pair(id, p.nodeId());
                    if (out.containsKey(key)) {
                        continue;
                    }
                    String a = id.compareTo(p.nodeId()) < 0 ? id : p.nodeId();
                    String b = a.equals(id) ? p.nodeId() : id;
                    BackboneLink l = backbone.get(key);
                    String kind = l != null ? "backbone"
                            : b.equals(plan.homeRelay(a)) || a.equals(plan.homeRelay(b)) ? "relay" : "direct";
                    out.put(key, new Link(a, b, kind, l == null ? null : l.cost(), true, null));
                }
            }
        }
        for (Map.Entry<String, BackboneLink> e : backbone.entrySet()) {
            BackboneLink l = e.getValue();
            String a = l.a().compareTo(l.b()) < 0 ? l.a() : l.b();
            out.putIfAbsent(e.getKey(), new Link(a, l.other(a), "backbone", l.cost(), false, null));
        }
        return new LinkedHashMap<>(out);
    }

    private static String pair(String x, String y) {
        return x.compareTo(y) < 0 ? x + " " + y : y + " " + x;
    }
}
