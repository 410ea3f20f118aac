/**
 * The network model: immutable values for the desired state ({@link net.weft.topology.model.Network},
 * {@link net.weft.topology.model.Node}, {@link net.weft.topology.model.OnRamp},
 * {@link net.weft.topology.model.BackboneLink}, gathered in a {@link net.weft.topology.model.Topology})
 * and the live facts that change routing ({@link net.weft.topology.model.LiveState}). Collections
 * are copied and sorted on construction, so equal inputs give equal values whatever order they were
 * built in; sorted lists are {@link net.weft.topology.model.SortedList}s, which lists derived from them
 * stay without being sorted or checked again.
 */
package net.weft.topology.model;
