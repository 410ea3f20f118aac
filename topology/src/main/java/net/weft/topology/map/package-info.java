/**
 * One node's network map ({@link net.weft.topology.map.NetworkMap}: itself and its peers, with a
 * version), the difference between two versions ({@link net.weft.topology.map.MapDelta}), and the
 * canonical JSON both travel in ({@link net.weft.topology.map.CanonicalJson}): the same map always
 * gives the same bytes.
 */
package net.weft.topology.map;
