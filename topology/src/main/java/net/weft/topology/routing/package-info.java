/**
 * Route computation: one {@link net.weft.topology.map.NetworkMap} per node from the topology and
 * the live state.
 *
 * <p>The rules, all deterministic (sorted inputs, ties broken by node id):
 * <ol>
 *   <li>Two nodes peer directly when at least one of them is reachable, with one exception below.</li>
 *   <li>Nodes behind NAT that cannot peer directly reach each other through <em>active relays</em>
 *       (reachable, online nodes with the relay role). Each NAT node has a home relay: the lowest-id
 *       active relay in its region, else the lowest-id active relay. The path from a NAT node
 *       {@code x} to a NAT node {@code y} is {@code x, home(x), ..., home(y), y}, the middle being the
 *       least-cost path over backbone links between active relays.</li>
 *   <li>The exception: an active relay forwards, and WireGuard routes by destination only, so an
 *       active relay peers directly with a NAT node only when it is that node's home relay, and with
 *       another active relay of its backbone component only when their least-cost path is the link
 *       between them. Everything else between them travels the backbone path.</li>
 *   <li>Backbone paths are unique: each link's cost is extended with a tie-break below the cost
 *       (a distinct power of two per link, links ordered by their end ids), so the least-cost path
 *       between two relays is unique, the same in both directions, and every piece of it is itself
 *       the least-cost path between its ends. That makes destination routing symmetric: the peer a
 *       node sends a destination to is the peer it receives that destination's traffic from, which
 *       WireGuard's source check requires.</li>
 *   <li>An on-ramp's CIDRs go to the first hop towards its active gateway
 *       ({@link net.weft.topology.routing.OnRampArbiter}); the gateway itself lists them as routes it serves.</li>
 *   <li>Within one map no prefix is claimed by two peers: node addresses and on-ramp CIDRs must not
 *       overlap, which the plan checks.</li>
 *   <li>A peer gets a persistent keepalive when either end is behind NAT.</li>
 * </ol>
 *
 * <p>Changes. {@link net.weft.topology.routing.RoutingPlan#changes} compares two plans map by map (time
 * quadratic in the number of nodes). {@link net.weft.topology.routing.RoutingPlan#join} is the fast path
 * for the common change, a node joining: unless the newcomer is an active relay or reuses an id, it takes
 * no part in anyone else's paths, so each existing map gains the newcomer as a peer, or its first hop
 * towards the newcomer (a relay) gains the newcomer's addresses, or stays the same; the join computes
 * exactly those entries, the newcomer's full map, and the next plan (sharing everything the join does not
 * touch) in time linear in the number of nodes. Its result equals the comparison of full maps (a property
 * test checks it). Nodes whose map does not change get no delta and keep their version.
 */
package net.weft.topology.routing;
