package net.weft.topology.wire;

import java.util.List;
import java.util.Objects;
import net.weft.topology.model.Endpoint;

/**
 * A gateway's verdict on one on-ramp after its probes into the VPC.
 *
 * @param protocolVersion  the node's {@link Protocol#PROTOCOL_VERSION}
 * @param onRamp           the on-ramp's name
 * @param healthy          true when the failure threshold has not been reached
 * @param probes           the latest probe per target
 * @param reportedAtMillis the node's clock, milliseconds since the epoch
 */
public record HealthReport(int protocolVersion, String onRamp, boolean healthy, List<Probe> probes,
                           long reportedAtMillis) {

    /**
     * One probe.
     *
     * @param target    what was probed
     * @param ok        whether it answered
     * @param rttMicros round-trip time when it did, else 0
     */
    public record Probe(Endpoint target, boolean ok, long rttMicros) {
    }

    public HealthReport {
        Objects.requireNonNull(onRamp, "onRamp");
        probes = probes == null ? List.of() : List.copyOf(probes);
    }
}
