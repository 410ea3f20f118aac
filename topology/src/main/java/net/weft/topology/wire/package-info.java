/**
 * The JSON documents exchanged between a node and the coordinator, in one place with one
 * {@link net.weft.topology.wire.Protocol#PROTOCOL_VERSION} and its dated history: join request and
 * response, map updates (full or delta), endpoint, health and per-peer reports. All are serialized with
 * {@link net.weft.topology.map.CanonicalJson}. Secrets (join token, node credential) never appear in
 * {@code toString}.
 */
package net.weft.topology.wire;
