package net.weft.topology.model;

import java.util.Objects;

/**
 * An underlay UDP endpoint: an IP address literal and a port, written {@code 192.0.2.1:51820}
 * or {@code [2001:db8::1]:51820}. Host names are not endpoints: nothing here does DNS. Immutable;
 * equal when address and port are. Ordered IPv4 before IPv6, then by address, then by port; the
 * address is parsed once, on construction, so sorting endpoints parses nothing.
 */
public final class Endpoint implements Comparable<Endpoint> {

    private final String address;
    private final int port;
    private final boolean ipv6;
    /** The address as an unsigned number ({@link IpPrefix#high}, {@link IpPrefix#low}): parsed once, it orders endpoints. */
    private final long hi;
    private final long lo;

    /**
     * @param address an IP address literal, stored in canonical text (no brackets)
     * @param port    1..65535
     * @throws IllegalArgumentException on a bad port or an address that is not a literal
     */
    public Endpoint(String address, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        byte[] bytes = IpPrefix.parseAddress(Objects.requireNonNull(address, "address"));
        this.address = IpPrefix.format(bytes);
        this.port = port;
        this.ipv6 = bytes.length == 16;
        this.hi = IpPrefix.high(bytes);
        this.lo = IpPrefix.low(bytes);
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static Endpoint parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("empty endpoint");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("not an endpoint \"" + text + "\" (want [address]:port)");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("not an endpoint \"" + text + "\" (want address:port)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port in endpoint \"" + text + "\"");
        }
        return new Endpoint(host, Integer.parseInt(port));
    }

    /** The address in canonical text (no brackets). */
    public String address() {
        return address;
    }

    /** The UDP port. */
    public int port() {
        return port;
    }

    /** True for an IPv6 endpoint. */
    public boolean isIpv6() {
        return ipv6;
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = Boolean.compare(ipv6, o.ipv6);
        if (c == 0) {
            c = Long.compareUnsigned(hi, o.hi);
        }
        if (c == 0) {
            c = Long.compareUnsigned(lo, o.lo);
        }
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.port == port && e.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + port;
    }

    /** {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820}. */
    @Override
    public String toString() {
        return isIpv6() ? "[" + address + "]:" + port : address + ":" + port;
    }
}
