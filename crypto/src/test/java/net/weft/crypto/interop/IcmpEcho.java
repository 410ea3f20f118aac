package net.weft.crypto.interop;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An ICMP echo request or reply in an IPv4 packet (RFC 791, RFC 792): what the interop test puts
 * into transport messages and expects out of them. Builds packets with correct header and ICMP
 * checksums, and parses only packets whose checksums hold.
 *
 * @param source IPv4 source address
 * @param destination IPv4 destination address
 * @param type {@link #ECHO_REQUEST} or {@link #ECHO_REPLY}
 * @param identifier the echo identifier
 * @param sequence the echo sequence number
 * @param data the echo data
 */
record IcmpEcho(Inet4Address source, Inet4Address destination, int type, int identifier, int sequence, byte[] data) {

    static final int ECHO_REPLY = 0;
    static final int ECHO_REQUEST = 8;

    private static final int IPV4_HEADER = 20;
    private static final int ICMP_HEADER = 8;
    private static final int PROTOCOL_ICMP = 1;

    IcmpEcho {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    static IcmpEcho request(Inet4Address source, Inet4Address destination, int identifier, int sequence, byte[] data) {
        return new IcmpEcho(source, destination, ECHO_REQUEST, identifier, sequence, data);
    }

    /** The reply a host sends to this request: addresses swapped, same identifier, sequence and data. */
    IcmpEcho reply() {
        return new IcmpEcho(destination, source, ECHO_REPLY, identifier, sequence, data);
    }

    /** The IPv4 packet: a 20-byte header (DF, TTL 64), then the ICMP message. */
    byte[] toPacket() {
        int total = IPV4_HEADER + ICMP_HEADER + data.length;
        byte[] p = new byte[total];
        p[0] = 0x45; // version 4, header length 5 words
        putShort(p, 2, total);
        putShort(p, 4, identifier ^ sequence); // IP id: any value; DF is set below
        p[6] = 0x40;
        p[8] = 64;
        p[9] = PROTOCOL_ICMP;
        System.arraycopy(source.getAddress(), 0, p, 12, 4);
        System.arraycopy(destination.getAddress(), 0, p, 16, 4);
        putShort(p, 10, checksum(p, 0, IPV4_HEADER));
        p[IPV4_HEADER] = (byte) type;
        putShort(p, IPV4_HEADER + 4, identifier);
        putShort(p, IPV4_HEADER + 6, sequence);
        System.arraycopy(data, 0, p, IPV4_HEADER + ICMP_HEADER, data.length);
        putShort(p, IPV4_HEADER + 2, checksum(p, IPV4_HEADER, total - IPV4_HEADER));
        return p;
    }

    /**
     * The IPv4 total length of the packet at {@code p[off..off+len)}, or -1 when it is no IPv4
     * packet or claims more bytes than there are: how a receiver strips transport padding.
     */
    static int ipv4Length(byte[] p, int off, int len) {
        if (len < IPV4_HEADER || (p[off] & 0xf0) != 0x40) {
            return -1;
        }
        int total = getShort(p, off + 2);
        return total < IPV4_HEADER || total > len ? -1 : total;
    }

    /**
     * The echo request or reply in the IPv4 packet {@code p} (exactly one packet, padding already
     * stripped). Throws {@link IllegalArgumentException}, saying why, for anything else: another
     * protocol, options, fragments, a wrong length or a bad checksum.
     */
    static IcmpEcho parse(byte[] p) {
        if (p.length < IPV4_HEADER + ICMP_HEADER) {
            throw new IllegalArgumentException("too short for IPv4 + ICMP: " + hex(p));
        }
        if (p[0] != 0x45) {
            throw new IllegalArgumentException("not IPv4 without options: " + hex(p));
        }
        if (getShort(p, 2) != p.length) {
            throw new IllegalArgumentException("IPv4 total length " + getShort(p, 2) + " for " + p.length + " bytes");
        }
        if ((getShort(p, 6) & 0x3fff) != 0) {
            throw new IllegalArgumentException("a fragment: " + hex(p));
        }
        if (p[9] != PROTOCOL_ICMP) {
            throw new IllegalArgumentException("IP protocol " + (p[9] & 0xff) + ", not ICMP: " + hex(p));
        }
        if (checksum(p, 0, IPV4_HEADER) != 0) {
            throw new IllegalArgumentException("bad IPv4 header checksum: " + hex(p));
        }
        if (checksum(p, IPV4_HEADER, p.length - IPV4_HEADER) != 0) {
            throw new IllegalArgumentException("bad ICMP checksum: " + hex(p));
        }
        int type = p[IPV4_HEADER] & 0xff;
        if ((type != ECHO_REQUEST && type != ECHO_REPLY) || p[IPV4_HEADER + 1] != 0) {
            throw new IllegalArgumentException("ICMP type " + type + " code " + p[IPV4_HEADER + 1] + ", not an echo");
        }
        return new IcmpEcho(address(p, 12), address(p, 16), type, getShort(p, IPV4_HEADER + 4),
                getShort(p, IPV4_HEADER + 6), Arrays.copyOfRange(p, IPV4_HEADER + ICMP_HEADER, p.length));
    }

    /** The Internet checksum (RFC 1071) of {@code b[off..off+len)}; 0 over a range that holds a correct one. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += getShort(b, off + i);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static Inet4Address address(byte[] p, int off) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(p, off, off + 4));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int getShort(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static String hex(byte[] p) {
        return HexFormat.of().formatHex(p, 0, Math.min(p.length, 64)) + (p.length > 64 ? "..." : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpEcho e && source.equals(e.source) && destination.equals(e.destination)
                && type == e.type && identifier == e.identifier && sequence == e.sequence && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + identifier * 17 + sequence;
    }

    @Override
    public String toString() {
        return (type == ECHO_REQUEST ? "echo request " : "echo reply ") + source.getHostAddress() + " > "
                + destination.getHostAddress() + " id=" + identifier + " seq=" + sequence + " data=" + data.length + " bytes";
    }
}
