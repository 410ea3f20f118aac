/**
 * The coordinator's logic, behind thin REST resources: join tokens
 * ({@link net.weft.coordinator.service.TokenService}), the network and its changes
 * ({@link net.weft.coordinator.service.NetworkService}: join, delete, expire, reports, the spec; the lease
 * sweep and on-ramp arbitration, every {@code weft.lease.sweep-interval}, with the arbiter's state kept in the
 * cluster by {@code OnRamps}), and map
 * distribution ({@link net.weft.coordinator.service.MapDistributor}: this member's routing plan and the
 * map streams of the nodes connected to it). {@link net.weft.coordinator.service.OnRampMetrics} keeps the on-ramp
 * gauges, refreshed on every housekeeping tick. Failures are {@link net.weft.coordinator.service.WeftException}s
 * of a {@link net.weft.coordinator.service.WeftException.Kind}, which the API maps to problem details.
 */
package net.weft.coordinator.service;
