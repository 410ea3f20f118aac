package net.weft.topology.model;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The overlay network's settings.
 *
 * @param name                a DNS label naming the network
 * @param ipv4                the IPv4 overlay prefix, {@link #DEFAULT_IPV4} unless declared
 * @param ipv6                the IPv6 overlay prefix: a unique local /48 chosen when the network is created
 * @param mtu                 the overlay MTU, {@link #DEFAULT_MTU} unless declared
 * @param persistentKeepalive the keepalive set on peers when a NAT sits between them
 * @param gatewayHoldDown     how long a recovered on-ramp gateway must stay healthy before it takes its routes back
 */
public record Network(String name, IpPrefix ipv4, IpPrefix ipv6, int mtu, Duration persistentKeepalive,
                      Duration gatewayHoldDown) {

    /** The shared address space of RFC 6598, the overlay default. */
    public static final IpPrefix DEFAULT_IPV4 = IpPrefix.parse("100.64.0.0/10");

    /** 1280: the IPv6 minimum, because cloud paths often drop larger packets silently. */
    public static final int DEFAULT_MTU = 1280;

    /** 25 s, as {@code wg} users usually set it: inside every common NAT's UDP timeout. */
    public static final Duration DEFAULT_PERSISTENT_KEEPALIVE = Duration.ofSeconds(25);

    /** 30 s without a failure before a recovered gateway takes its on-ramp back. */
    public static final Duration DEFAULT_GATEWAY_HOLD_DOWN = Duration.ofSeconds(30);

    /** The unique local prefix {@code fc00::/7}; {@code fd00::/8} is its locally assigned half. */
    public static final IpPrefix ULA = IpPrefix.parse("fc00::/7");

    public Network {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
        Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
        Objects.requireNonNull(gatewayHoldDown, "gatewayHoldDown");
        if (!ipv4.isIpv4()) {
            throw new IllegalArgumentException("ipv4 prefix " + ipv4 + " is not IPv4");
        }
        if (!ipv6.isIpv6()) {
            throw new IllegalArgumentException("ipv6 prefix " + ipv6 + " is not IPv6");
        }
        if (mtu < 1280 || mtu > 65535) {
            throw new IllegalArgumentException("mtu " + mtu + " is outside 1280..65535");
        }
        if (persistentKeepalive.isNegative() || gatewayHoldDown.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** A network with the defaults and the given IPv6 prefix. */
    public static Network withDefaults(String name, IpPrefix ipv6) {
        return new Network(name, DEFAULT_IPV4, ipv6, DEFAULT_MTU, DEFAULT_PERSISTENT_KEEPALIVE, DEFAULT_GATEWAY_HOLD_DOWN);
    }

    /** A new network with the defaults and a fresh random ULA /48 (RFC 4193: {@code fd} + 40 random bits). */
    public static Network create(String name, RandomGenerator random) {
        return withDefaults(name, randomUla48(random));
    }

    /** {@code fdXX:XXXX:XXXX::/48} with a 40-bit global ID drawn from {@code random}. */
    public static IpPrefix randomUla48(RandomGenerator random) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        for (int i = 1; i < 6; i++) {
            a[i] = (byte) random.nextInt(256);
        }
        return IpPrefix.of(a, 48);
    }
}
