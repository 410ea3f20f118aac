package net.weft.topology.map;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.SortedList;

/**
 * What a gateway node does for one on-ramp: probe the health-check targets (active or standby, so the
 * coordinator can fail over to it) and, while active, carry the CIDRs into the VPC.
 *
 * @param onRamp           the on-ramp's name
 * @param cidrs            the VPC prefixes, sorted
 * @param snat             source-NAT overlay traffic into the VPC
 * @param targets          health-check targets inside the VPC, sorted
 * @param intervalMillis   time between probes
 * @param failureThreshold consecutive failed probes before the gateway is unhealthy
 * @param active           true when this node is the on-ramp's active gateway (its CIDRs are in {@link Self#routes})
 */
public record GatewayDuty(String onRamp, List<IpPrefix> cidrs, boolean snat, List<Endpoint> targets,
                          long intervalMillis, int failureThreshold, boolean active) {

    /** Duties by on-ramp name: their order in {@link Self#gateways}. */
    public static final Comparator<GatewayDuty> BY_ON_RAMP = Comparator.comparing(GatewayDuty::onRamp);

    public GatewayDuty {
        Objects.requireNonNull(onRamp, "onRamp");
        cidrs = SortedList.copyOf(cidrs == null ? List.of() : cidrs);
        targets = SortedList.copyOf(targets == null ? List.of() : targets);
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("probe interval must be positive");
        }
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold must be at least 1");
        }
    }
}
