/**
 * Seeded synthetic networks for property tests, benchmarks and labs
 * ({@link net.weft.topology.testing.SyntheticMesh}). Shipped with the library so the labs' benchmarks
 * and the module's tests build the same shapes; nothing in the coordinator or the node uses it.
 */
package net.weft.topology.testing;
