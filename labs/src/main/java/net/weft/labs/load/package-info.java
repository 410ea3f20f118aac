/**
 * Load generators against a running coordinator: {@link net.weft.labs.load.MapStreamLoad} simulates many nodes
 * holding map streams and measures how long one join takes to reach all of them. Run by
 * {@code labs/scripts/coordinator-load.sh}; figures go to BENCHMARKS.md.
 */
package net.weft.labs.load;
