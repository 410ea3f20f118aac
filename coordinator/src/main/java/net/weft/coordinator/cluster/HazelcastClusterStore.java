package net.weft.coordinator.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.weft.topology.map.CanonicalJson;

/**
 * {@link ClusterStore} on a Hazelcast member's IMaps (configured by {@link MemberConfig}). Values are JSON
 * text ({@link StoreJson}), the form the database keeps too; peer reports, which never reach the database, are
 * kept in topology's canonical JSON, the form the node sent them in.
 */
public final class HazelcastClusterStore implements ClusterStore {

    private static final String NETWORK_LOCK = "network-lock";

    private final HazelcastInstance hz;
    private final IMap<String, String> tokens;
    private final IMap<String, String> nodes;
    private final IMap<String, String> spec;
    private final IMap<String, String> settings;
    private final IMap<String, String> leases;
    private final IMap<String, String> peers;
    private final IMap<String, String> sessions;
    private final ITopic<ChangeEvent> changes;
    private final JdbcMapStore probe;

    /**
     * @param probe a store on the same database, asked by {@link #databaseHealthy}
     */
    public HazelcastClusterStore(HazelcastInstance hz, JdbcMapStore probe) {
        this.hz = hz;
        this.tokens = hz.getMap(MemberConfig.TOKENS);
        this.nodes = hz.getMap(MemberConfig.NODES);
        this.spec = hz.getMap(MemberConfig.SPEC);
        this.settings = hz.getMap(MemberConfig.SETTINGS);
        this.leases = hz.getMap(MemberConfig.LEASES);
        this.peers = hz.getMap(MemberConfig.PEERS);
        this.sessions = hz.getMap(MemberConfig.SESSIONS);
        this.changes = hz.getTopic(MemberConfig.CHANGES);
        this.probe = probe;
    }

    @Override
    public void putToken(TokenRecord token) {
        tokens.set(token.id(), StoreJson.write(token));
    }

    @Override
    public Collection<TokenRecord> tokens() {
        return tokens.values().stream().map(v -> StoreJson.read(v, TokenRecord.class)).toList();
    }

    @Override
    public boolean deleteToken(String id) {
        return tokens.remove(id) != null;
    }

    @Override
    public TokenConsumption consumeToken(String id, byte[] hash, Instant now) {
        return tokens.executeOnKey(id, new ConsumeToken(hash, now));
    }

    @Override
    public Optional<NodeRecord> node(String id) {
        return Optional.ofNullable(StoreJson.read(nodes.get(id), NodeRecord.class));
    }

    @Override
    public Collection<NodeRecord> nodes() {
        return nodes.values().stream().map(v -> StoreJson.read(v, NodeRecord.class)).toList();
    }

    @Override
    public void putNode(NodeRecord node) {
        nodes.set(node.id(), StoreJson.write(node));
    }

    @Override
    public boolean deleteNode(String id) {
        return nodes.remove(id) != null;
    }

    @Override
    public boolean renewLease(String nodeId, Duration ttl) {
        return leases.put(nodeId, Instant.now().plus(ttl).toString()) == null;
    }

    @Override
    public Set<String> expiredLocalLeases(Instant now) {
        Set<String> out = new java.util.TreeSet<>();
        for (String id : leases.localKeySet()) {
            String until = leases.get(id);
            if (until != null && Instant.parse(until).isBefore(now)) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public boolean dropExpiredLease(String nodeId, Instant now) {
        String until = leases.get(nodeId);
        return until != null && Instant.parse(until).isBefore(now) && leases.remove(nodeId, until);
    }

    @Override
    public Set<String> onlineNodes() {
        return Set.copyOf(leases.keySet());
    }

    @Override
    public void dropLease(String nodeId) {
        leases.delete(nodeId);
    }

    @Override
    public void putPeerReports(PeerReports reports, Duration ttl) {
        peers.set(reports.nodeId(), new String(CanonicalJson.toBytes(reports), StandardCharsets.UTF_8),
                ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<PeerReports> peerReports(String nodeId) {
        return Optional.ofNullable(readPeerReports(nodeId, peers.get(nodeId)));
    }

    @Override
    public Collection<PeerReports> allPeerReports() {
        return peers.entrySet().stream().map(e -> readPeerReports(e.getKey(), e.getValue()))
                .filter(java.util.Objects::nonNull).toList();
    }

    private static PeerReports readPeerReports(String nodeId, String json) {
        if (json == null) {
            return null;
        }
        try {
            return CanonicalJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), PeerReports.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored peer reports of " + nodeId + " do not parse", e);
        }
    }

    @Override
    public void dropPeerReports(String nodeId) {
        peers.delete(nodeId);
    }

    @Override
    public void putSession(String idHash, Instant expiresAt) {
        long ttl = Math.max(1, Duration.between(Instant.now(), expiresAt).toMillis());
        sessions.set(idHash, expiresAt.toString(), ttl, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Instant> session(String idHash) {
        String until = sessions.get(idHash);
        if (until == null) {
            return Optional.empty();
        }
        Instant at = Instant.parse(until);
        return at.isAfter(Instant.now()) ? Optional.of(at) : Optional.empty();
    }

    @Override
    public void dropSession(String idHash) {
        sessions.delete(idHash);
    }

    @Override
    public Optional<String> spec() {
        return Optional.ofNullable(spec.get(MemberConfig.SPEC_KEY));
    }

    @Override
    public void putSpec(String yaml) {
        spec.set(MemberConfig.SPEC_KEY, yaml);
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public String putSettingIfAbsent(String key, String value) {
        String before = settings.putIfAbsent(key, value);
        return before == null ? value : before;
    }

    @Override
    public void putSetting(String key, String value) {
        settings.set(key, value);
    }

    @Override
    public <T> T underNetworkLock(Duration timeout, Supplier<T> change) {
        boolean locked;
        try {
            locked = settings.tryLock(NETWORK_LOCK, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the network lock");
        }
        if (!locked) {
            throw new StoreUnavailableException("the network lock was not free within " + timeout.toMillis() + " ms");
        }
        try {
            return change.get();
        } finally {
            settings.unlock(NETWORK_LOCK);
        }
    }

    @Override
    public void publish(ChangeEvent event) {
        changes.publish(event);
    }

    @Override
    public void subscribe(Consumer<ChangeEvent> listener) {
        changes.addMessageListener(m -> listener.accept(m.getMessageObject()));
    }

    @Override
    public boolean isOldestMember() {
        return hz.getLifecycleService().isRunning() && hz.getCluster().getMembers().iterator().next().localMember();
    }

    @Override
    public int members() {
        return hz.getLifecycleService().isRunning() ? hz.getCluster().getMembers().size() : 0;
    }

    @Override
    public List<ClusterMember> memberList() {
        if (!hz.getLifecycleService().isRunning()) {
            return List.of();
        }
        List<ClusterMember> out = new java.util.ArrayList<>();
        boolean first = true;
        for (com.hazelcast.cluster.Member m : hz.getCluster().getMembers()) {
            out.add(new ClusterMember(m.getAddress().getHost() + ":" + m.getAddress().getPort(), m.localMember(), first));
            first = false;
        }
        return out;
    }

    @Override
    public boolean databaseHealthy() {
        return probe.healthy();
    }
}
