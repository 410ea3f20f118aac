/**
 * A Weft mesh in network namespaces, run with the real processes, and the quickstart built on it.
 *
 * <p>{@link net.weft.labs.mesh.MeshLab} makes the pieces a lab needs, named per run and removed on close: a wan
 * (a bridge on 203.0.113.0/24, optionally with a veth from the host), nodes on it or behind NAT'd sites
 * (nftables masquerade from 198.51.100.0/24 LANs), simulated VPCs (198.18.N.0/24 with an HTTP
 * {@link net.weft.labs.mesh.VpcWorkload}) that gateways attach to, the coordinator ({@code ./weft coordinator},
 * which it can stop, kill and start again on the same data), join tokens, and one {@code ./weft up} agent per
 * {@link net.weft.labs.mesh.MeshNode}; plus ping, HTTP and timing helpers. {@link net.weft.labs.mesh.MeshSpec}
 * writes the network spec (nodes, on-ramps, backbone links). {@link net.weft.labs.mesh.Demo} is
 * {@code ./weft demo}.
 *
 * <p>JDK only (no dependency of the labs module is needed at run time), so {@code java -cp} of the labs' classes
 * runs it. Needs root, iproute2, nftables, iputils-ping; {@code wg} is used when present.
 */
package net.weft.labs.mesh;
