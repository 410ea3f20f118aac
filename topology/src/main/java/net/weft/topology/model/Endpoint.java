package net.weft.topology.model;

/**
 * An underlay UDP endpoint: an IP address literal and a port, written {@code 192.0.2.1:51820}
 * or {@code [2001:db8::1]:51820}. Host names are not endpoints: nothing here does DNS.
 *
 * @param address the address in canonical text (no brackets)
 * @param port    1..65535
 */
public record Endpoint(String address, int port) implements Comparable<Endpoint> {

    public Endpoint {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        address = IpPrefix.format(IpPrefix.parseAddress(address));
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

    /** True for an IPv6 endpoint. */
    public boolean isIpv6() {
        return address.indexOf(':') >= 0;
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = IpPrefix.host(IpPrefix.parseAddress(address)).compareTo(IpPrefix.host(IpPrefix.parseAddress(o.address)));
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    /** {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820}. */
    @Override
    public String toString() {
        return isIpv6() ? "[" + address + "]:" + port : address + ":" + port;
    }
}
