/**
 * The node agent behind {@code weft up}: it joins the mesh with a token, brings up the userspace
 * WireGuard device from the coordinator's network map, follows the map's deltas live, installs the
 * kernel routes, serves as on-ramp gateway or relay when the map says so, and reports back (heartbeat,
 * endpoints, on-ramp health, per-peer counters).
 *
 * <p>State lives in one directory ({@link net.weft.node.agent.StateDir}): the private key (mode 0600,
 * never sent anywhere), the node's identity and credential (0600), the last map, the agent's pid and a
 * status snapshot that {@code weft status} reads. With no coordinator answering, the agent starts from
 * the saved map and keeps the tunnels up; it reconnects with backoff to any of the coordinators it was
 * given.
 */
package net.weft.node.agent;
