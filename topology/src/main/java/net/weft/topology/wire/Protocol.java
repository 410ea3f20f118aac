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
 * </pre>
 */
public final class Protocol {

    /** The version this build speaks. */
    public static final int PROTOCOL_VERSION = 1;

    /** The oldest version this build still accepts from the other side. */
    public static final int MIN_SUPPORTED_VERSION = 1;

    private Protocol() {
    }

    /** True when a peer speaking {@code version} can be served. */
    public static boolean isSupported(int version) {
        return version >= MIN_SUPPORTED_VERSION && version <= PROTOCOL_VERSION;
    }
}
