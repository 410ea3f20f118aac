package net.weft.coordinator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.weft.coordinator.auth.Credentials;
import net.weft.coordinator.auth.JoinRateLimiter;
import net.weft.coordinator.auth.Secrets;
import net.weft.coordinator.cluster.ChangeEvent;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.NodeRecord;
import net.weft.coordinator.cluster.PeerReports;
import net.weft.coordinator.cluster.TokenRecord;
import net.weft.coordinator.config.WeftConfig;
import net.weft.topology.ipam.Ipam;
import net.weft.topology.ipam.IpamException;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Node;
import net.weft.topology.model.Topology;
import net.weft.topology.routing.PlanChange;
import net.weft.topology.routing.RoutingPlan;
import net.weft.topology.spec.NodeDeclaration;
import net.weft.topology.spec.SpecException;
import net.weft.topology.spec.SpecProblem;
import net.weft.topology.wire.HealthReport;
import net.weft.topology.wire.JoinRequest;
import net.weft.topology.wire.JoinResponse;
import net.weft.topology.wire.PeerReport;
import net.weft.topology.wire.Protocol;
import org.jboss.logging.Logger;

/**
 * The network's changes: joins, deletions, expiry, node reports and the spec. Each change runs under
 * the cluster's network lock, stores its result, raises the network version by one and tells every member
 * ({@link ChangeEvent}); the maps follow through {@link MapDistributor}. A report that changes nothing the
 * maps show (the same endpoints, a renewed health verdict, per-peer counters) leaves the version alone.
 */
@ApplicationScoped
public class NetworkService {

    public static final int MAX_ENDPOINTS = 16;
    /** A host name: DNS labels. */
    public static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    public static final int MAX_SPEC_CHARS = 60_000;
    public static final int MAX_HEALTH_REPORTS = 64;
    /**
     * The most peers one report may carry. The 64 KiB body limit ({@code quarkus.http.limits.max-body-size}) binds
     * first for full entries (about 390 with IPv6 endpoints, 460 with IPv4 ones and large counters); this one
     * bounds compact entries (no endpoint, small counters), of which the body could hold about 1,020.
     */
    public static final int MAX_PEER_REPORTS = 1000;
    /** A node's per-peer counters are kept this many lease lifetimes after its last report. */
    static final int PEER_REPORTS_LEASES = 3;
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    /** The values of {@code weft_joins_total}'s {@code result} label. */
    private static final List<String> JOIN_RESULTS = List.of("joined", "invalid", "token_refused", "rate_limited");

    private static final Logger LOG = Logger.getLogger(NetworkService.class);

    @Inject
    ClusterStore store;

    @Inject
    MapDistributor maps;

    @Inject
    TokenService tokens;

    @Inject
    JoinRateLimiter limiter;

    @Inject
    WeftConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    OnRampMetrics onRampMetrics;

    Clock clock = Clock.systemUTC();

    /** A node as admins see it. */
    public record NodeStatus(NodeRecord record, boolean online) {
    }

    /** The network at a glance. */
    public record Status(long version, int members, int nodes, int online, int expired, int tokens, int streams,
                         int protocolVersion) {
    }

    /** Runs {@link #housekeeping}; owned by this service, from start to shutdown. */
    private ScheduledExecutorService housekeeper;

    void onStart(@Observes StartupEvent event) {
        config.specFile().ifPresent(this::reloadSpecFileIfChanged);
        for (String state : List.of("online", "offline", "expired")) {
            Gauge.builder("weft_nodes", this, n -> n.countNodes(state)).tag("state", state)
                    .description("Joined nodes by state: online (holding a lease), offline, expired").register(registry);
        }
        for (String result : JOIN_RESULTS) {
            joins(result); // every result from 0, so rate() sees the first
        }
        Gauge.builder("weft_tokens", this, NetworkService::countActiveTokens)
                .description("Join tokens that can still be used (not expired, uses left)").register(registry);
        Gauge.builder("weft_cluster_members", store, ClusterStore::members)
                .description("Coordinator members in the cluster this member sees").register(registry);
        housekeeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("weft-housekeeping").factory());
        long every = config.lease().sweepInterval().toMillis();
        housekeeper.scheduleWithFixedDelay(this::housekeeping, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (housekeeper != null) {
            housekeeper.shutdownNow();
        }
    }

    /**
     * The spec file's modification time and size when last read; the housekeeping tick compares them (polling
     * survives editors that replace the file and Kubernetes ConfigMaps that swap a symlink, where a directory
     * watch misses changes). Written at start, then by the housekeeping thread only.
     */
    private String specFileSeen;

    private void reloadSpecFileIfChanged(Path file) {
        String seen;
        try {
            seen = Files.getLastModifiedTime(file) + "/" + Files.size(file);
        } catch (IOException e) {
            seen = "unreadable: " + e.getMessage();
        }
        if (seen.equals(specFileSeen)) {
            return;
        }
        specFileSeen = seen;
        loadSpecFile(file);
    }

    private void loadSpecFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.errorf("network spec %s cannot be read (%s); keeping the stored spec", file, e.getMessage());
            return;
        }
        if (text.equals(store.spec().orElse(null))) {
            return;
        }
        try {
            putSpec(text);
            LOG.infof("network spec loaded from %s", file);
        } catch (WeftException e) {
            LOG.errorf("network spec %s refused, keeping the stored spec:%n%s", file, String.join("\n", e.problems()));
        }
    }

    /**
     * A node joins: its token is used once (atomically, cluster-wide), it gets an id, addresses and a
     * credential, and every other node's map gains it.
     *
     * @param source the address the request came from, for the rate limit
     */
    public JoinResponse join(JoinRequest request, String source) {
        if (!limiter.tryAcquire(source)) {
            count("rate_limited");
            throw new WeftException(WeftException.Kind.RATE_LIMITED, "too many joins from " + source + "; try again later");
        }
        if (!Protocol.isSupported(request.protocolVersion())) {
            count("invalid");
            throw new WeftException(WeftException.Kind.INVALID, "protocolVersion " + request.protocolVersion()
                    + " is not supported (" + Protocol.MIN_SUPPORTED_VERSION + ".." + Protocol.PROTOCOL_VERSION + ")");
        }
        if (request.hostname().length() > 253 || !HOSTNAME.matcher(request.hostname()).matches()) {
            count("invalid");
            throw new WeftException(WeftException.Kind.INVALID, "hostname is not a DNS name");
        }
        if (request.endpoints().size() > MAX_ENDPOINTS) {
            count("invalid");
            throw new WeftException(WeftException.Kind.INVALID, "at most " + MAX_ENDPOINTS + " endpoints");
        }
        TokenRecord token;
        try {
            token = tokens.consume(request.token());
        } catch (WeftException e) {
            count("token_refused");
            throw e;
        }
        String secret = Secrets.newSecret();
        JoinResponse response = store.underNetworkLock(LOCK_WAIT, () -> joinLocked(request, token, secret));
        count("joined");
        LOG.infof("node %s (%s, %s) joined with token %s at version %d", response.nodeId(), request.hostname(),
                request.publicKey(), token.id(), response.map().version());
        return response;
    }

    private JoinResponse joinLocked(JoinRequest request, TokenRecord token, String secret) {
        MapDistributor.State before = maps.current();
        Collection<NodeRecord> records = store.nodes();
        String key = request.publicKey().toBase64();
        for (NodeRecord r : records) {
            if (!r.expired() && r.publicKey().equals(key)) {
                throw new WeftException(WeftException.Kind.CONFLICT, "this public key is already in use by node " + r.id());
            }
        }
        NetworkModel model = before.model();
        String id = chooseId(request, model, records);
        NodeDeclaration d = model.declaration(id);
        Ipam ipam = model.ipam(records);
        Ipam.Allocation a;
        try {
            a = d == null ? ipam.allocate(id) : ipam.allocate(id, pin(d, true), pin(d, false));
        } catch (IpamException e) {
            throw new WeftException(WeftException.Kind.CONFLICT, e.getMessage());
        }
        NodeRecord record = new NodeRecord(id, request.hostname(), key,
                a.addresses().stream().map(IpPrefix::toString).toList(), token.tags(),
                endpointText(request.endpoints()), null,
                Secrets.hashText(Secrets.hash(secret)), token.id(), token.ephemeral(), false, clock.instant());
        Node node = model.toNode(record);
        long from = before.version();
        long to = from + 1;
        if (model.namedBySpec(id)) {
            // a gateway or backbone relay the spec names: its on-ramps and links enter the topology with it
            store.putNode(record);
            store.renewLease(id, config.lease().ttl());
            store.putSetting(MapDistributor.VERSION_SETTING, Long.toString(to));
            long at = clock.millis();
            maps.changed(at);
            store.publish(new ChangeEvent(ChangeEvent.Kind.RECOMPUTE, id, from, to, at));
            return new JoinResponse(Protocol.PROTOCOL_VERSION, id, record.addresses().stream().map(IpPrefix::parse).toList(),
                    Credentials.nodeCredential(id, secret), maps.mapFor(id));
        }
        PlanChange change;
        try {
            change = before.plan().join(node, from, to);
        } catch (IllegalArgumentException e) {
            throw new WeftException(WeftException.Kind.CONFLICT, e.getMessage());
        }
        store.putNode(record);
        store.renewLease(id, config.lease().ttl());
        store.putSetting(MapDistributor.VERSION_SETTING, Long.toString(to));
        maps.joined(before, change, to, clock.millis());
        store.publish(new ChangeEvent(ChangeEvent.Kind.JOIN, id, from, to, clock.millis()));
        NetworkMap map = change.fullMaps().getFirst();
        return new JoinResponse(Protocol.PROTOCOL_VERSION, id, record.addresses().stream().map(IpPrefix::parse).toList(),
                Credentials.nodeCredential(id, secret), map);
    }

    /** The declared id a node's host name names, if free and the key fits; else a new random id. */
    private static String chooseId(JoinRequest request, NetworkModel model, Collection<NodeRecord> records) {
        Set<String> taken = new java.util.HashSet<>();
        records.forEach(r -> taken.add(r.id()));
        NodeDeclaration d = model.declaration(request.hostname());
        if (d != null && !taken.contains(d.id()) && (d.publicKey() == null || d.publicKey().equals(request.publicKey()))) {
            return d.id();
        }
        String id;
        do {
            id = "n" + Secrets.randomHex(6);
        } while (taken.contains(id) || model.declaration(id) != null);
        return id;
    }

    private static IpPrefix pin(NodeDeclaration d, boolean v4) {
        if (d.addresses() == null) {
            return null;
        }
        return d.addresses().stream().filter(p -> p.isIpv4() == v4).findFirst().orElse(null);
    }

    /** Every node, by id. */
    public List<NodeStatus> nodes() {
        Set<String> online = store.onlineNodes();
        return store.nodes().stream().sorted(Comparator.comparing(NodeRecord::id))
                .map(n -> new NodeStatus(n, online.contains(n.id()))).toList();
    }

    /** Removes node {@code id}: out of every map, its addresses free, its credential void. */
    public void delete(String id) {
        change(id, () -> {
            store.deleteNode(id);
            store.dropLease(id);
            store.dropPeerReports(id);
        });
        LOG.infof("node %s deleted", id);
    }

    /** Expires node {@code id}: out of every map, its credential refused; it keeps its addresses until deleted. */
    public void expire(String id) {
        change(id, () -> {
            NodeRecord r = store.node(id).orElseThrow();
            store.putNode(r.asExpired());
            store.dropLease(id);
            store.dropPeerReports(id);
        });
        LOG.infof("node %s expired", id);
    }

    /**
     * A node leaves the maps: {@code write} runs under the network lock, the arbiter runs at once (a gateway that
     * left counts as unhealthy now, not on the next sweep), and the version goes up.
     */
    private void change(String id, Runnable write) {
        requireNode(id);
        store.underNetworkLock(LOCK_WAIT, () -> {
            if (store.node(id).isEmpty()) {
                throw new WeftException(WeftException.Kind.NOT_FOUND, "no node " + id);
            }
            write.run();
            arbitrateLocked();
            bump();
            return null;
        });
    }

    /** Throws NOT_FOUND unless node {@code id} exists (expired or not); an overlong id is not echoed. */
    private void requireNode(String id) {
        if (id.length() > PeerReport.MAX_NODE_ID_CHARS || store.node(id).isEmpty()) {
            throw new WeftException(WeftException.Kind.NOT_FOUND,
                    "no node " + (id.length() > PeerReport.MAX_NODE_ID_CHARS ? "" : id));
        }
    }

    /** With the network lock held: the next version, recomputed here and announced to the other members. */
    private void bump() {
        long at = clock.millis();
        long from = maps.storedVersion();
        store.putSetting(MapDistributor.VERSION_SETTING, Long.toString(from + 1));
        maps.changed(at);
        store.publish(new ChangeEvent(ChangeEvent.Kind.RECOMPUTE, null, from, from + 1, at));
    }

    /**
     * With the network lock held: one on-ramp arbitration step over the stored nodes, health and leases.
     *
     * @return true when an active gateway changed
     */
    private boolean arbitrateLocked() {
        Topology topology = maps.current().model().topology(store.nodes());
        return OnRamps.arbitrate(store, topology, clock.instant());
    }

    /**
     * Node {@code nodeId} is alive: it holds a lease for the configured time. A node that was offline comes
     * online, and the maps follow (a relay forwards again, a gateway may serve its on-ramps again).
     */
    public Duration heartbeat(String nodeId) {
        if (store.renewLease(nodeId, config.lease().ttl())) {
            store.underNetworkLock(LOCK_WAIT, () -> {
                if (store.node(nodeId).isPresent()) {
                    arbitrateLocked();
                    bump();
                }
                return null;
            });
            LOG.infof("node %s is online", nodeId);
        }
        return config.lease().ttl();
    }

    /**
     * The leases this member owns that ran out: each node goes offline (an ephemeral one is deleted) and the
     * maps follow. A lease belongs to one member at a time (its partition's owner), so each runs out once.
     */
    void sweepLeases() {
        Instant now = clock.instant();
        for (String id : store.expiredLocalLeases(now)) {
            boolean[] deleted = {false};
            boolean changed = store.underNetworkLock(LOCK_WAIT, () -> {
                if (!store.dropExpiredLease(id, now)) {
                    return false; // renewed meanwhile
                }
                NodeRecord r = store.node(id).orElse(null);
                if (r == null) {
                    return false;
                }
                if (r.ephemeral()) {
                    store.deleteNode(id);
                    deleted[0] = true;
                }
                arbitrateLocked();
                bump();
                return true;
            });
            if (changed) {
                LOG.infof(deleted[0] ? "ephemeral node %s deleted: its lease ran out" : "node %s is offline: its lease ran out", id);
            }
        }
    }

    /** On the oldest member only: an arbiter step, so a recovered gateway takes over once its hold-down has passed. */
    void arbitrateOnRamps() {
        if (!store.isOldestMember()) {
            return;
        }
        NetworkModel model = maps.current().model();
        if ((model.spec() == null || model.spec().onRamps().isEmpty()) && OnRamps.saved(store).ramps().isEmpty()) {
            return;
        }
        store.underNetworkLock(LOCK_WAIT, () -> {
            if (arbitrateLocked()) {
                bump();
            }
            return null;
        });
    }

    /** Runs the housekeeping steps, then refreshes the on-ramp gauges, every {@code weft.lease.sweep-interval}. */
    private void housekeeping() {
        try {
            config.specFile().ifPresent(this::reloadSpecFileIfChanged);
            sweepLeases();
            arbitrateOnRamps();
            onRampMetrics.refresh();
        } catch (RuntimeException e) {
            LOG.warnf(e, "housekeeping failed; trying again in %s", config.lease().sweepInterval());
        }
    }

    /**
     * Node {@code nodeId} reports what it sees of itself; each part is optional (null: not reported). The whole
     * report is checked before any part is applied, so a refused report changes nothing.
     *
     * @param endpoints its underlay endpoints: they replace the previous ones
     * @param health    its on-ramp health verdicts, only for on-ramps it is a gateway of
     * @param peers     its per-peer counters: they replace the previous ones
     * @param observed  the address its request came from
     */
    public void report(String nodeId, List<Endpoint> endpoints, List<HealthReport> health, List<PeerReport> peers,
                       String observed) {
        if (endpoints != null) {
            checkEndpoints(endpoints);
        }
        if (health != null) {
            checkHealth(nodeId, health);
        }
        if (peers != null) {
            checkPeers(peers);
        }
        if (endpoints != null) {
            reportEndpoints(nodeId, endpoints, observed);
        }
        if (health != null) {
            reportHealth(nodeId, health);
        }
        if (peers != null) {
            store.putPeerReports(new PeerReports(nodeId, clock.millis(), peers),
                    config.lease().ttl().multipliedBy(PEER_REPORTS_LEASES));
        }
    }

    private static void checkEndpoints(List<Endpoint> endpoints) {
        if (endpoints.size() > MAX_ENDPOINTS) {
            throw new WeftException(WeftException.Kind.INVALID, "at most " + MAX_ENDPOINTS + " endpoints");
        }
        if (endpoints.stream().anyMatch(java.util.Objects::isNull)) { // not contains(null): List.of refuses the question
            throw new WeftException(WeftException.Kind.INVALID, "an endpoint is null");
        }
    }

    private void checkHealth(String nodeId, List<HealthReport> reports) {
        if (reports.size() > MAX_HEALTH_REPORTS) {
            throw new WeftException(WeftException.Kind.INVALID, "at most " + MAX_HEALTH_REPORTS + " health reports");
        }
        Topology topology = maps.current().model().topology(store.nodes());
        List<String> mine = OnRamps.rampsOf(topology, nodeId);
        for (HealthReport h : reports) {
            if (h == null || !mine.contains(h.onRamp())) {
                throw new WeftException(WeftException.Kind.INVALID, "node " + nodeId + " is not a gateway of on-ramp "
                        + (h == null ? "null" : h.onRamp().length() > 64 ? h.onRamp().substring(0, 64) + "…" : h.onRamp()));
            }
        }
    }

    private static void checkPeers(List<PeerReport> peers) {
        if (peers.size() > MAX_PEER_REPORTS) {
            throw new WeftException(WeftException.Kind.INVALID, "at most " + MAX_PEER_REPORTS + " peers");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < peers.size(); i++) {
            PeerReport p = peers.get(i);
            if (p == null) {
                throw new WeftException(WeftException.Kind.INVALID, "peers[" + i + "] is null");
            }
            if (!seen.add(p.nodeId())) {
                throw new WeftException(WeftException.Kind.INVALID, "peers[" + i + "] repeats an earlier peer's nodeId");
            }
        }
    }

    /**
     * Gateway {@code nodeId}'s verdicts replace its previous ones, each stamped with the time it arrived. Only a
     * change of who is healthy runs the arbiter, and only a move of an active gateway (after the spec's hold-down
     * for a recovering one) raises the version; a renewed verdict just renews its time.
     */
    private void reportHealth(String nodeId, List<HealthReport> reports) {
        if (reports.isEmpty()) {
            return;
        }
        store.underNetworkLock(LOCK_WAIT, () -> {
            Instant now = clock.instant();
            OnRamps.Health before = OnRamps.health(store);
            OnRamps.Health after = before;
            for (HealthReport h : reports) {
                after = after.with(h.onRamp(), nodeId, h.healthy(), now);
            }
            if (!after.equals(before)) {
                OnRamps.putHealth(store, after);
            }
            if (!after.healthy().equals(before.healthy()) && arbitrateLocked()) {
                bump();
            }
            return null;
        });
    }

    /**
     * Node {@code nodeId}'s endpoints replace its previous ones. Only different endpoints raise the version; the
     * observed address is not in any map, so its change is stored without one.
     */
    private void reportEndpoints(String nodeId, List<Endpoint> endpoints, String observed) {
        List<String> text = endpointText(endpoints);
        NodeRecord r = store.node(nodeId).orElseThrow(() -> new WeftException(WeftException.Kind.NOT_FOUND, "no node " + nodeId));
        boolean same = r.endpoints().equals(text);
        if (same && (observed == null || observed.equals(r.observed()))) {
            return; // the steady state of a node reporting every few seconds: no write, no lock
        }
        store.underNetworkLock(LOCK_WAIT, () -> {
            // read again under the lock: a write from outside it could undo a concurrent expiry
            NodeRecord now = store.node(nodeId).orElseThrow(() -> new WeftException(WeftException.Kind.NOT_FOUND, "no node " + nodeId));
            boolean moved = !now.endpoints().equals(text);
            if (moved || (observed != null && !observed.equals(now.observed()))) {
                store.putNode(now.withEndpoints(text, observed == null ? now.observed() : observed));
            }
            if (moved) {
                bump();
            }
            return null;
        });
    }

    /** Endpoints as the store keeps them: distinct, as text, sorted, so the same set always compares equal. */
    private static List<String> endpointText(List<Endpoint> endpoints) {
        return endpoints.stream().distinct().map(Endpoint::toString).sorted().toList();
    }

    /**
     * Node {@code nodeId}'s latest per-peer counters; empty when it never reported them or its last report is
     * older than {@value #PEER_REPORTS_LEASES} lease lifetimes.
     *
     * @throws WeftException NOT_FOUND for an unknown node
     */
    public Optional<PeerReports> peers(String nodeId) {
        requireNode(nodeId);
        return store.peerReports(nodeId);
    }

    /** The spec's YAML, if set. */
    public java.util.Optional<String> spec() {
        return store.spec();
    }

    /**
     * Replaces the network spec. An invalid spec is refused with every problem, and the running one kept.
     */
    public void putSpec(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new WeftException(WeftException.Kind.INVALID, "the spec is empty");
        }
        if (yaml.length() > MAX_SPEC_CHARS) {
            throw new WeftException(WeftException.Kind.INVALID, "the spec is longer than " + MAX_SPEC_CHARS + " characters");
        }
        store.underNetworkLock(LOCK_WAIT, () -> {
            Collection<NodeRecord> records = store.nodes();
            NetworkModel model;
            try {
                model = maps.model(yaml, records);
            } catch (SpecException e) {
                throw new WeftException(WeftException.Kind.INVALID, "the network spec is invalid",
                        e.problems().stream().map(SpecProblem::toString).toList());
            }
            try {
                new RoutingPlan(model.topology(records), store.onlineNodes(), java.util.Map.of());
            } catch (IllegalArgumentException e) {
                throw new WeftException(WeftException.Kind.INVALID, "the network spec does not fit the joined nodes",
                        List.of(e.getMessage()));
            }
            store.putSpec(yaml);
            OnRamps.arbitrate(store, model.topology(records), clock.instant());
            bump();
            return null;
        });
    }

    /** The network at a glance. */
    public Status status() {
        Collection<NodeRecord> all = store.nodes();
        Set<String> online = store.onlineNodes();
        int expired = (int) all.stream().filter(NodeRecord::expired).count();
        return new Status(maps.storedVersion(), store.members(), all.size(), online.size(), expired,
                store.tokens().size(), maps.connectedStreams(), Protocol.PROTOCOL_VERSION);
    }

    private double countNodes(String state) {
        Set<String> online = store.onlineNodes();
        return store.nodes().stream().filter(n -> switch (state) {
            case "expired" -> n.expired();
            case "online" -> !n.expired() && online.contains(n.id());
            default -> !n.expired() && !online.contains(n.id());
        }).count();
    }

    private double countActiveTokens() {
        Instant now = clock.instant();
        return store.tokens().stream()
                .filter(t -> (t.expiresAt() == null || t.expiresAt().isAfter(now)) && (t.usesLeft() == null || t.usesLeft() > 0))
                .count();
    }

    private void count(String result) {
        joins(result).increment();
    }

    private Counter joins(String result) {
        return Counter.builder("weft_joins_total").description("Join requests by result").tag("result", result)
                .register(registry);
    }
}
