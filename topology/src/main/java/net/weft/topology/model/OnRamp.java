package net.weft.topology.model;

import java.util.List;
import java.util.Objects;

/**
 * A cloud on-ramp: VPC CIDRs reached through one of several gateway nodes.
 *
 * @param name        the on-ramp's name
 * @param provider    the cloud
 * @param region      the cloud region
 * @param vpc         the VPC's identifier at the provider
 * @param cidrs       the VPC prefixes routed to the active gateway, sorted
 * @param gateways    candidate gateways, most preferred first ({@link Gateway#PREFERENCE})
 * @param snat        true when the gateway source-NATs traffic into the VPC
 * @param healthCheck how gateways probe the VPC
 */
public record OnRamp(String name, Provider provider, String region, String vpc, List<IpPrefix> cidrs,
                     List<Gateway> gateways, boolean snat, HealthCheck healthCheck) {

    public OnRamp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(vpc, "vpc");
        Objects.requireNonNull(healthCheck, "healthCheck");
        cidrs = SortedList.copyOf(cidrs);
        gateways = gateways.stream().sorted(Gateway.PREFERENCE).toList();
        if (gateways.stream().map(Gateway::node).distinct().count() != gateways.size()) {
            throw new IllegalArgumentException("on-ramp " + name + " names a gateway twice");
        }
    }
}
