package net.weft.coordinator.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The cluster's shared, durable state. Every member sees the same content; writes reach the database
 * before they return (write-through). Services own the logic; this interface only stores, and does the
 * two things that must happen on the owning member: consuming a token, and serializing network changes.
 */
public interface ClusterStore {

    // --- join tokens ------------------------------------------------------------------------------

    /** Stores a new token. */
    void putToken(TokenRecord token);

    /** Every token. */
    Collection<TokenRecord> tokens();

    /** Deletes a token; false when there was none. */
    boolean deleteToken(String id);

    /**
     * Uses the token {@code id} once, atomically across the cluster (on the partition that owns it): only if
     * its hash equals {@code hash} (compared in constant time), it has not expired at {@code now} and it has
     * uses left.
     */
    TokenConsumption consumeToken(String id, byte[] hash, Instant now);

    // --- nodes ------------------------------------------------------------------------------------

    Optional<NodeRecord> node(String id);

    /** Every node, expired ones included. */
    Collection<NodeRecord> nodes();

    void putNode(NodeRecord node);

    boolean deleteNode(String id);

    // --- leases (soft state: not written to the database) ---------------------------------------

    /**
     * Marks {@code nodeId} online until {@code now + ttl}. The lease stays until {@link #dropExpiredLease}
     * or {@link #dropLease} removes it, so going offline is always seen by the member that owns the lease.
     *
     * @return true when the node held no lease before (it comes online)
     */
    boolean renewLease(String nodeId, Duration ttl);

    /** Ids of nodes whose lease is owned by this member (its primary partitions) and ran out before {@code now}. */
    Set<String> expiredLocalLeases(Instant now);

    /** Removes {@code nodeId}'s lease if it ran out before {@code now} (a renewal meanwhile wins); true when removed. */
    boolean dropExpiredLease(String nodeId, Instant now);

    /** Ids of nodes holding a lease. */
    Set<String> onlineNodes();

    void dropLease(String nodeId);

    // --- per-peer counters (soft state: not written to the database) ----------------------------

    /**
     * Keeps {@code reports} as its node's latest per-peer counters, replacing the previous ones; they expire
     * after {@code ttl} unless replaced again.
     */
    void putPeerReports(PeerReports reports, Duration ttl);

    /** Node {@code nodeId}'s latest per-peer counters, unless none were reported or they expired. */
    Optional<PeerReports> peerReports(String nodeId);

    void dropPeerReports(String nodeId);

    /** Every node's latest per-peer counters that have not expired, in one call. */
    Collection<PeerReports> allPeerReports();

    // --- dashboard sessions (soft state: not written to the database) ----------------------------

    /** Keeps a dashboard session, by its id's hash, until {@code expiresAt} (then it is gone by itself). */
    void putSession(String idHash, Instant expiresAt);

    /** When the session whose id hashes to {@code idHash} expires; empty when there is none (or it expired). */
    Optional<Instant> session(String idHash);

    void dropSession(String idHash);

    // --- the network spec and settings ----------------------------------------------------------

    /** The network spec's YAML text, if one was set. */
    Optional<String> spec();

    void putSpec(String yaml);

    Optional<String> setting(String key);

    /** Sets {@code key} unless it is set; returns the value now in force. */
    String putSettingIfAbsent(String key, String value);

    void putSetting(String key, String value);

    // --- network changes -------------------------------------------------------------------------

    /**
     * Runs {@code change} while holding the cluster-wide network lock: one network change at a time, on any
     * member, so versions increase without gaps.
     *
     * @throws StoreUnavailableException when the lock cannot be had within {@code timeout}
     */
    <T> T underNetworkLock(Duration timeout, Supplier<T> change);

    /** Publishes {@code event} to every member, this one included. */
    void publish(ChangeEvent event);

    /** Calls {@code listener} for every event published on any member, in the order each member published them. */
    void subscribe(Consumer<ChangeEvent> listener);

    // --- health ----------------------------------------------------------------------------------

    /** True on the oldest member, the one that runs cluster-wide housekeeping (one member at a time). */
    boolean isOldestMember();

    /** Members of the cluster this one sees, itself included; 0 when the member is not running. */
    int members();

    /** The members this one sees, oldest first; empty when the member is not running. */
    List<ClusterMember> memberList();

    /** True when the database answers. */
    boolean databaseHealthy();
}
