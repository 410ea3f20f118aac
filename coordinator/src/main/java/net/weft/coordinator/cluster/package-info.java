/**
 * The cluster's shared state behind one interface, {@link net.weft.coordinator.cluster.ClusterStore}:
 * nodes, join tokens, the network spec, settings, heartbeat leases and per-peer counters, and the change
 * events every member hears. {@link net.weft.coordinator.cluster.HazelcastClusterStore} keeps them in Hazelcast
 * IMaps (backup count at least 1) written through to JDBC ({@link net.weft.coordinator.cluster.JdbcMapStore}:
 * an H2 file by default, PostgreSQL by configuration), values as JSON text. Leases are soft state (an
 * expiry instant, with no Hazelcast TTL, so the member owning a lease sees it run out and removes it):
 * backed up in the cluster, never written to the database, so a restarted coordinator sees every node
 * offline until it beats again. Each node's latest per-peer counters are soft state too (no database), each
 * entry dropped by a Hazelcast TTL a while after its node stops reporting. One producer
 * ({@link net.weft.coordinator.cluster.HazelcastProducer}) owns the member; no CP subsystem and no Hazelcast
 * persistence (both Enterprise-only).
 */
package net.weft.coordinator.cluster;
