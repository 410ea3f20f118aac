package net.weft.node.host;

import java.util.List;
import net.weft.topology.model.IpPrefix;

/**
 * Source-NAT for one on-ramp: traffic that arrived from the overlay and goes to {@code vpcCidrs} leaves
 * the gateway with the gateway's own VPC-side address as source (see {@link GatewayFirewall}).
 *
 * @param vpcCidrs the VPC prefixes, IPv4 or IPv6; an empty list translates nothing
 */
public record SnatRule(List<IpPrefix> vpcCidrs) {

    public SnatRule {
        vpcCidrs = List.copyOf(vpcCidrs);
    }
}
