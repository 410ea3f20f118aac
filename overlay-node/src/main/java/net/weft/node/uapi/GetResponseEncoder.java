package net.weft.node.uapi;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import net.weft.crypto.key.Key;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.PeerStatus;
import net.weft.topology.model.IpPrefix;

/**
 * Encodes a {@link DeviceStatus} as the body of a {@code get=1} answer, in wireguard-go's order: the
 * device ({@code private_key}, {@code listen_port}, {@code fwmark}, each only when set), then per peer
 * {@code public_key}, {@code preshared_key} (zeros when none), {@code protocol_version=1},
 * {@code endpoint} (when known), {@code last_handshake_time_sec}/{@code _nsec}, {@code tx_bytes},
 * {@code rx_bytes}, {@code persistent_keepalive_interval} and one {@code allowed_ip} per prefix.
 * Numbers are unsigned decimal: {@code wg} refuses a line whose value starts with a sign.
 */
final class GetResponseEncoder {

    private static final HexFormat HEX = HexFormat.of();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private GetResponseEncoder() {
    }

    static void encode(DeviceStatus status, AsciiOutput out) {
        status.privateKey().filter(k -> !k.isZero()).ifPresent(k -> key(out, "private_key", k));
        if (status.listenPort() != 0) {
            line(out, "listen_port", Integer.toString(status.listenPort()));
        }
        if (status.fwmark() != 0) {
            line(out, "fwmark", Integer.toUnsignedString(status.fwmark()));
        }
        for (PeerStatus peer : status.peers()) {
            key(out, "public_key", peer.publicKey());
            Optional<? extends Key> psk = peer.presharedKey();
            if (psk.isPresent()) {
                key(out, "preshared_key", psk.get());
            } else {
                out.append("preshared_key=").append("0".repeat(2 * Key.KEY_LENGTH)).append('\n');
            }
            line(out, "protocol_version", "1");
            peer.endpoint().map(GetResponseEncoder::endpoint).ifPresent(e -> line(out, "endpoint", e));
            long handshake = Math.max(0, peer.lastHandshakeEpochNanos());
            line(out, "last_handshake_time_sec", Long.toString(handshake / NANOS_PER_SECOND));
            line(out, "last_handshake_time_nsec", Long.toString(handshake % NANOS_PER_SECOND));
            line(out, "tx_bytes", Long.toUnsignedString(peer.txBytes()));
            line(out, "rx_bytes", Long.toUnsignedString(peer.rxBytes()));
            line(out, "persistent_keepalive_interval", Integer.toString(peer.persistentKeepaliveSeconds() & 0xffff));
            for (IpPrefix prefix : peer.allowedIps()) {
                line(out, "allowed_ip", prefix.toString());
            }
        }
    }

    /**
     * {@code 203.0.113.5:51820}, {@code [fd00::1]:51820} or {@code [fe80::1%2]:51820}; null for an
     * unresolved address (the device never holds one, and {@code wg} would have to resolve it).
     */
    static String endpoint(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        if (address == null) {
            return null;
        }
        String literal = IpPrefix.format(address.getAddress());
        if (address instanceof Inet6Address v6) {
            // the scope as its index, which wg parses like a name and prints back as the name
            String zone = v6.getScopeId() != 0 ? "%" + v6.getScopeId() : "";
            return "[" + literal + zone + "]:" + endpoint.getPort();
        }
        return literal + ":" + endpoint.getPort();
    }

    private static void line(AsciiOutput out, String key, String value) {
        out.append(key).append('=').append(value).append('\n');
    }

    /** Hex from a scratch copy of the key that is zeroed at once, so no String ever holds it. */
    private static void key(AsciiOutput out, String name, Key key) {
        byte[] bytes = key.toBytes();
        try {
            out.append(name).append('=');
            HEX.formatHex(out, bytes);
            out.append('\n');
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
