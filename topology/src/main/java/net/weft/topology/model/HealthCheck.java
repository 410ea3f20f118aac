package net.weft.topology.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How gateways probe into the VPC.
 *
 * @param targets          addresses inside the VPC to probe, sorted
 * @param interval         time between probes
 * @param failureThreshold consecutive failed probes before the gateway reports unhealthy
 */
public record HealthCheck(List<Endpoint> targets, Duration interval, int failureThreshold) {

    /** No targets, probe every second, unhealthy after three failures. */
    public static final HealthCheck DEFAULT = new HealthCheck(List.of(), Duration.ofSeconds(1), 3);

    public HealthCheck {
        targets = SortedList.copyOf(targets);
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("health check interval must be positive");
        }
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold must be at least 1");
        }
    }
}
