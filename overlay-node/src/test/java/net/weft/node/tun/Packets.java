package net.weft.node.tun;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Just enough IPv4, IPv6 and ICMP to answer a ping through a TUN in tests. Every method reads the
 * packet between the buffer's position and limit with absolute gets and leaves the buffer as it
 * was; the predicates allocate nothing.
 */
final class Packets {

    private static final int ICMP_ECHO_REPLY = 0;
    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int ICMPV6_ECHO_REQUEST = 128;
    private static final int ICMPV6_ECHO_REPLY = 129;
    private static final int IPV6_HEADER = 40;

    private Packets() {
    }

    static boolean isIcmpEchoRequest4(ByteBuffer p) {
        return isIcmp4(p, ICMP_ECHO_REQUEST);
    }

    static boolean isIcmpEchoReply4(ByteBuffer p) {
        return isIcmp4(p, ICMP_ECHO_REPLY);
    }

    private static boolean isIcmp4(ByteBuffer p, int type) {
        int at = p.position();
        if (p.remaining() < 28 || (u8(p, at) >>> 4) != 4 || u8(p, at + 9) != 1) {
            return false;
        }
        int ihl = (u8(p, at) & 0xf) * 4;
        return p.remaining() >= ihl + 8 && u8(p, at + ihl) == type;
    }

    static boolean isIcmpEchoRequest6(ByteBuffer p) {
        int at = p.position();
        return p.remaining() >= IPV6_HEADER + 8 && (u8(p, at) >>> 4) == 6
                && u8(p, at + 6) == 58 && u8(p, at + IPV6_HEADER) == ICMPV6_ECHO_REQUEST;
    }

    static String source4(ByteBuffer p) throws UnknownHostException {
        return address(p, 12, 4);
    }

    static String destination4(ByteBuffer p) throws UnknownHostException {
        return address(p, 16, 4);
    }

    static String source6(ByteBuffer p) throws UnknownHostException {
        return address(p, 8, 16);
    }

    static String destination6(ByteBuffer p) throws UnknownHostException {
        return address(p, 24, 16);
    }

    private static String address(ByteBuffer p, int offset, int length) throws UnknownHostException {
        byte[] bytes = new byte[length];
        p.get(p.position() + offset, bytes);
        return InetAddress.getByAddress(bytes).getHostAddress();
    }

    /** An echo request from 100.64.7.2 to 100.64.7.1 with a 56-byte payload (what ping sends). */
    static ByteBuffer echoRequest4() {
        byte[] packet = new byte[84];
        packet[0] = 0x45;
        packet[2] = 0;
        packet[3] = (byte) packet.length;
        packet[8] = 64;
        packet[9] = 1;
        System.arraycopy(new byte[] {100, 64, 7, 2}, 0, packet, 12, 4);
        System.arraycopy(new byte[] {100, 64, 7, 1}, 0, packet, 16, 4);
        packet[20] = ICMP_ECHO_REQUEST;
        packet[24] = 0x12;
        packet[25] = 0x34;
        packet[27] = 1;
        for (int i = 28; i < packet.length; i++) {
            packet[i] = (byte) i;
        }
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        checksums4(buffer);
        return buffer;
    }

    /** The echo reply to an IPv4 echo request, in a new buffer of the same kind (direct or heap). */
    static ByteBuffer echoReply4(ByteBuffer request) {
        ByteBuffer reply = copy(request);
        int ihl = (u8(reply, 0) & 0xf) * 4;
        swap(reply, 12, 16, 4);
        reply.put(8, (byte) 64);
        reply.put(ihl, (byte) ICMP_ECHO_REPLY);
        checksums4(reply);
        return reply;
    }

    /** The echo reply to an ICMPv6 echo request without extension headers. */
    static ByteBuffer echoReply6(ByteBuffer request) {
        ByteBuffer reply = copy(request);
        swap(reply, 8, 24, 16);
        reply.put(7, (byte) 64);
        reply.put(IPV6_HEADER, (byte) ICMPV6_ECHO_REPLY);
        reply.putShort(IPV6_HEADER + 2, (short) 0);
        int length = reply.limit() - IPV6_HEADER;
        // pseudo-header: source, destination, upper-layer length, next header
        long sum = sum(reply, 8, 32) + length + 58 + sum(reply, IPV6_HEADER, length);
        reply.putShort(IPV6_HEADER + 2, (short) fold(sum));
        return reply;
    }

    private static void checksums4(ByteBuffer packet) {
        int ihl = (u8(packet, 0) & 0xf) * 4;
        packet.putShort(10, (short) 0);
        packet.putShort(10, (short) fold(sum(packet, 0, ihl)));
        packet.putShort(ihl + 2, (short) 0);
        packet.putShort(ihl + 2, (short) fold(sum(packet, ihl, packet.limit() - ihl)));
    }

    private static ByteBuffer copy(ByteBuffer packet) {
        ByteBuffer copy = packet.isDirect()
                ? ByteBuffer.allocateDirect(packet.remaining())
                : ByteBuffer.allocate(packet.remaining());
        copy.put(packet.duplicate()).flip();
        return copy;
    }

    private static void swap(ByteBuffer p, int a, int b, int length) {
        for (int i = 0; i < length; i++) {
            byte x = p.get(a + i);
            p.put(a + i, p.get(b + i));
            p.put(b + i, x);
        }
    }

    /** The one's-complement sum of 16-bit words, before folding. */
    private static long sum(ByteBuffer p, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += (u8(p, offset + i) << 8) | u8(p, offset + i + 1);
        }
        if ((length & 1) != 0) {
            sum += u8(p, offset + length - 1) << 8;
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static int u8(ByteBuffer p, int index) {
        return p.get(index) & 0xff;
    }
}
