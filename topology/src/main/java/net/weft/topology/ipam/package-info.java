/**
 * IP address management for the overlay: {@link net.weft.topology.ipam.Ipam} hands each node one
 * IPv4 and one IPv6 address from the network's prefixes. Allocation is deterministic (the lowest
 * free address), never duplicates, reuses released addresses, honours pinned addresses, and
 * answers exhaustion and conflicts with typed exceptions.
 */
package net.weft.topology.ipam;
