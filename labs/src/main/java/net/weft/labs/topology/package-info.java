/**
 * JMH benchmarks of the routing engine in {@code topology/}, on seeded
 * {@link net.weft.topology.testing.SyntheticMesh} networks (the same generator the topology tests use):
 * every node's map computed from scratch ({@link net.weft.labs.topology.FullMapsBenchmark}), the
 * coordinator's whole work for one join ({@link net.weft.labs.topology.JoinBenchmark}), and the heap the
 * model, plan and maps retain per node ({@link net.weft.labs.topology.TopologyMemory}, a plain main).
 * Run with {@code ./weft bench 'net.weft.labs.topology.*'}; the figures and how they were taken are in
 * {@code BENCHMARKS.md}.
 */
package net.weft.labs.topology;
