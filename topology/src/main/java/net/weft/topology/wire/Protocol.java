package net.weft.topology.wire;

/**
 * The node-coordinator protocol version. Bump it for every change a peer could notice, and add a line
 * below.
 *
 * <pre>
 * version history
 *   1  2026-11-24  first version: JoinRequest/JoinResponse, MapUpdate (full map or MapDelta),
 *                  EndpointReport, HealthReport; keys in base64 as wg prints them; canonical JSON
 *                  (sorted properties, no nulls)
 *   2  2026-11-30  Self gains "relay" (forward between peers) and "gateways" (the on-ramps a node serves or
 *                  stands by for: CIDRs, SNAT, health-check targets, interval, threshold, active); a version-1
 *                  node ignores them, a version-2 node reads their absence as "none"; the node report gains
 *                  "peers" (PeerReport per tunnel: endpoint, rx/tx bytes, last handshake) for the dashboard;
 *                  gateways report on-ramp health after every probe round, and a verdict not renewed within
 *                  interval x failureThreshold + interval lapses (counts as unhealthy)
 * </pre>
 */
public final class Protocol {

    /** The version this build speaks. */
    public static final int PROTOCOL_VERSION = 2;

    /** The oldest version this build still accepts from the other side. */
    public static final int MIN_SUPPORTED_VERSION = 1;

    private Protocol() {
    }

    /** True when a peer speaking {@code version} can be served. */
    public static boolean isSupported(int version) {
        return version >= MIN_SUPPORTED_VERSION && version <= PROTOCOL_VERSION;
    }
}
