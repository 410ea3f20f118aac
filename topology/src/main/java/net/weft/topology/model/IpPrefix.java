package net.weft.topology.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix in CIDR form ({@code 100.64.0.0/10}, {@code fd7a:115c:a1e0::/48}); a
 * single address is a prefix of full length ({@code /32}, {@code /128}). Host bits are always
 * zero. Ordered IPv4 before IPv6, then by address, then shorter prefix first.
 */
public final class IpPrefix implements Comparable<IpPrefix> {

    private final byte[] address;
    private final int length;
    /** The address as an unsigned 128-bit number (IPv4 in the low 32 bits of {@code lo}), kept for ordering. */
    private final long hi;
    private final long lo;

    private IpPrefix(byte[] address, int length) {
        this.address = address;
        this.length = length;
        this.hi = high(address);
        this.lo = low(address);
    }

    /** The upper 64 bits of a 16-byte address read as an unsigned number; 0 for 4 bytes. */
    static long high(byte[] address) {
        long h = 0;
        for (int i = 0; i < address.length - 8; i++) {
            h = h << 8 | (address[i] & 0xff);
        }
        return h;
    }

    /** The lower 64 bits of an address read as an unsigned number (all 32 bits of IPv4). */
    static long low(byte[] address) {
        long l = 0;
        for (int i = Math.max(0, address.length - 8); i < address.length; i++) {
            l = l << 8 | (address[i] & 0xff);
        }
        return l;
    }

    /**
     * A prefix from network bytes (4 or 16) and a length; host bits must be zero.
     *
     * @throws IllegalArgumentException on a bad length or host bits set
     */
    public static IpPrefix of(byte[] address, int length) {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes");
        }
        int max = address.length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0.." + max);
        }
        byte[] copy = address.clone();
        if (!Arrays.equals(copy, masked(copy, length))) {
            throw new IllegalArgumentException("host bits set in " + format(copy) + "/" + length);
        }
        return new IpPrefix(copy, length);
    }

    /** A prefix from network bytes, clearing host bits. */
    public static IpPrefix ofMasked(byte[] address, int length) {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes");
        }
        int max = address.length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0.." + max);
        }
        return new IpPrefix(masked(address, length), length);
    }

    /** The single-address prefix ({@code /32} or {@code /128}) of {@code address}. */
    public static IpPrefix host(byte[] address) {
        return of(address, address.length * 8);
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x:y::z/n} or a bare address (a host prefix). Never does DNS.
     *
     * @throws IllegalArgumentException with a reason when the text is not a CIDR or has host bits set
     */
    public static IpPrefix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty prefix");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        byte[] addr = parseAddress(slash < 0 ? s : s.substring(0, slash));
        int length = addr.length * 8;
        if (slash >= 0) {
            String len = s.substring(slash + 1);
            if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad prefix length \"" + len + "\"");
            }
            length = Integer.parseInt(len);
        }
        return of(addr, length);
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal into 4 or 16 bytes. Never does DNS.
     *
     * @throws IllegalArgumentException when the text is not an address literal
     */
    public static byte[] parseAddress(String text) {
        if (text.indexOf(':') >= 0) {
            try {
                InetAddress a = InetAddress.ofLiteral(text);
                if (!(a instanceof Inet6Address)) {
                    // an IPv4-mapped literal comes back as Inet4Address: keep the family the text named
                    throw new IllegalArgumentException("not an IPv6 address \"" + text + "\"");
                }
                if (((Inet6Address) a).getScopeId() != 0 || text.indexOf('%') >= 0) {
                    throw new IllegalArgumentException("scoped IPv6 address \"" + text + "\"");
                }
                return a.getAddress();
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().contains(text)) {
                    throw e;
                }
                throw new IllegalArgumentException("not an IP address \"" + text + "\"");
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IP address \"" + text + "\"");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("not an IP address \"" + text + "\"");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("not an IP address \"" + text + "\"");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] masked(byte[] address, int length) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, length - 8 * i));
            out[i] &= (byte) (0xff00 >>> keep);
        }
        return out;
    }

    /** True for an IPv4 prefix. */
    public boolean isIpv4() {
        return address.length == 4;
    }

    /** True for an IPv6 prefix. */
    public boolean isIpv6() {
        return address.length == 16;
    }

    /** The prefix length in bits. */
    public int length() {
        return length;
    }

    /** The address width of the family: 32 or 128. */
    public int bits() {
        return address.length * 8;
    }

    /** True for a single address ({@code /32} or {@code /128}). */
    public boolean isHost() {
        return length == bits();
    }

    /** A copy of the network address bytes. */
    public byte[] address() {
        return address.clone();
    }

    /** Bit {@code i} (0 = most significant) of the network address. */
    public int bit(int i) {
        return (address[i >>> 3] >>> (7 - (i & 7))) & 1;
    }

    /** True when {@code other} lies inside this prefix (same family, not shorter, same leading bits). */
    public boolean contains(IpPrefix other) {
        if (other.address.length != address.length || other.length < length) {
            return false;
        }
        return Arrays.equals(address, masked(other.address, length));
    }

    /** True when {@code addr} (4 or 16 bytes) lies inside this prefix. */
    public boolean containsAddress(byte[] addr) {
        return addr.length == address.length && Arrays.equals(address, masked(addr, length));
    }

    /** True when the two prefixes share at least one address. */
    public boolean overlaps(IpPrefix other) {
        return contains(other) || other.contains(this);
    }

    @Override
    public int compareTo(IpPrefix o) {
        int c = Integer.compare(address.length, o.address.length);
        if (c == 0) {
            c = Long.compareUnsigned(hi, o.hi);
        }
        if (c == 0) {
            c = Long.compareUnsigned(lo, o.lo);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && p.lo == lo && p.hi == hi
                && p.address.length == address.length;
    }

    @Override
    public int hashCode() {
        long h = (hi * 31 + lo) * 0x9E3779B97F4A7C15L + length; // spread sequential addresses over all bits
        return (int) (h ^ (h >>> 32));
    }

    /** The canonical CIDR text: {@code 100.64.0.1/32}, {@code fd7a:115c:a1e0::/48} (RFC 5952 for IPv6). */
    @Override
    public String toString() {
        return format(address) + "/" + length;
    }

    /** The address alone in canonical text: dotted quad, or RFC 5952 IPv6. */
    public String addressText() {
        return format(address);
    }

    /** Formats 4 or 16 address bytes canonically (RFC 5952 for IPv6: lowercase, longest zero run as {@code ::}). */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }
}
