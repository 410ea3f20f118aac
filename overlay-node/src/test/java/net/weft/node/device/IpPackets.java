package net.weft.node.device;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Minimal IPv4 and IPv6 UDP packets for the device tests; the device never checks checksums. */
final class IpPackets {

    private IpPackets() {
    }

    static byte[] addr(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** An IPv4 UDP packet from {@code src} to {@code dst} with {@code payload} bytes of a pattern seeded by {@code seq}. */
    static byte[] ipv4(String src, String dst, int payload, int seq) {
        int total = 20 + 8 + payload;
        byte[] p = new byte[total];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(addr(src), 0, p, 12, 4);
        System.arraycopy(addr(dst), 0, p, 16, 4);
        udp(p, 20, payload, seq);
        return p;
    }

    /** An IPv6 UDP packet from {@code src} to {@code dst}. */
    static byte[] ipv6(String src, String dst, int payload, int seq) {
        int plen = 8 + payload;
        byte[] p = new byte[40 + plen];
        p[0] = 0x60;
        p[4] = (byte) (plen >>> 8);
        p[5] = (byte) plen;
        p[6] = 17;
        p[7] = 64;
        System.arraycopy(addr(src), 0, p, 8, 16);
        System.arraycopy(addr(dst), 0, p, 24, 16);
        udp(p, 40, payload, seq);
        return p;
    }

    private static void udp(byte[] p, int off, int payload, int seq) {
        p[off] = (byte) 0xc0;
        p[off + 1] = 0x01;
        p[off + 2] = 0x30;
        p[off + 3] = 0x39;
        int len = 8 + payload;
        p[off + 4] = (byte) (len >>> 8);
        p[off + 5] = (byte) len;
        for (int i = 0; i < payload; i++) {
            p[off + 8 + i] = (byte) (seq * 31 + i);
        }
    }
}
