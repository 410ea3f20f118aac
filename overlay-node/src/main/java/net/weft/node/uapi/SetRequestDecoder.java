package net.weft.node.uapi;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.weft.crypto.key.Key;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerUpdate;
import net.weft.topology.model.IpPrefix;

/**
 * Decodes the body of one {@code set=1} request, line by line, into a single {@link DeviceUpdate}.
 * Nothing reaches the device until the whole request has decoded, so a bad line anywhere leaves
 * the device as it was.
 *
 * <p>Device keys ({@code private_key}, {@code listen_port}, {@code fwmark}, {@code replace_peers})
 * come first; each {@code public_key} opens a peer section that the peer keys ({@code remove},
 * {@code update_only}, {@code preshared_key}, {@code endpoint}, {@code persistent_keepalive_interval},
 * {@code replace_allowed_ips}, {@code allowed_ip}, {@code protocol_version}) apply to. Keys are hex,
 * numbers decimal, flags only {@code true}, as wireguard-go accepts them. Endpoints are address
 * literals: resolving host names is {@code wg}'s job, never the protocol's.
 */
final class SetRequestDecoder {

    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_PORT = 0xffff;
    private static final long MAX_FWMARK = 0xffff_ffffL;

    private Optional<Optional<PrivateKey>> privateKey = Optional.empty();
    private OptionalInt listenPort = OptionalInt.empty();
    private OptionalInt fwmark = OptionalInt.empty();
    private boolean replacePeers;
    private final List<PeerUpdate> peers = new ArrayList<>();
    /** The open peer section, null before the first {@code public_key}. */
    private PeerSection peer;
    private int lineNumber;

    /**
     * Decodes one {@code key=value} line (without its newline).
     *
     * @throws ConfigurationException EINVAL with a reason that never quotes a value
     */
    void decodeLine(AsciiView line) throws ConfigurationException {
        lineNumber++;
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw invalid("no '=' in the line");
        }
        AsciiView key = line.subSequence(0, eq);
        AsciiView value = line.subSequence(eq + 1, line.length());
        if (key.contentEquals("public_key")) {
            closePeer();
            peer = new PeerSection(decodeKey(value, "public_key", PublicKey::fromBytes));
            return;
        }
        if (peer == null) {
            decodeDeviceLine(key, value);
        } else {
            decodePeerLine(key, value);
        }
    }

    /** The decoded request; call once, after the blank line. */
    DeviceUpdate toUpdate() {
        closePeer();
        return new DeviceUpdate(privateKey, listenPort, fwmark, replacePeers, peers);
    }

    /** Zeroes the key material decoded so far, for a request that will not be applied. */
    void discard() {
        privateKey.flatMap(k -> k).ifPresent(Key::destroy);
        privateKey = Optional.empty();
        closePeer();
        for (PeerUpdate p : peers) {
            p.presharedKey().flatMap(k -> k).ifPresent(Key::destroy);
        }
        peers.clear();
    }

    private void decodeDeviceLine(AsciiView key, AsciiView value) throws ConfigurationException {
        switch (key.toString()) {
            case "private_key" -> {
                privateKey.flatMap(k -> k).ifPresent(Key::destroy);
                PrivateKey k = decodeKey(value, "private_key", PrivateKey::fromBytes);
                privateKey = Optional.of(k.isZero() ? Optional.empty() : Optional.of(k));
            }
            case "listen_port" -> listenPort = OptionalInt.of((int) decodeNumber(value, MAX_PORT, "listen_port"));
            // an unsigned 32-bit mark carried in the int's bits
            case "fwmark" -> fwmark = OptionalInt.of((int) decodeNumber(value, MAX_FWMARK, "fwmark"));
            case "replace_peers" -> replacePeers = decodeTrue(value, "replace_peers");
            default -> throw invalid(isPeerKey(key) ? "peer key " + key + " before any public_key"
                    : "unknown device key " + printable(key));
        }
    }

    private void decodePeerLine(AsciiView key, AsciiView value) throws ConfigurationException {
        switch (key.toString()) {
            case "remove" -> peer.remove = decodeTrue(value, "remove");
            case "update_only" -> peer.updateOnly = decodeTrue(value, "update_only");
            case "preshared_key" -> {
                peer.presharedKey.flatMap(k -> k).ifPresent(Key::destroy);
                PresharedKey k = decodeKey(value, "preshared_key", PresharedKey::fromBytes);
                peer.presharedKey = Optional.of(k.isZero() ? Optional.empty() : Optional.of(k));
            }
            case "endpoint" -> peer.endpoint = Optional.of(decodeEndpoint(value));
            case "persistent_keepalive_interval" -> peer.persistentKeepalive =
                    OptionalInt.of((int) decodeNumber(value, MAX_PORT, "persistent_keepalive_interval"));
            case "replace_allowed_ips" -> {
                // as in wireguard-go, the replacement also drops what this section listed before it
                peer.replaceAllowedIps = decodeTrue(value, "replace_allowed_ips");
                peer.allowedIps.clear();
            }
            case "allowed_ip" -> peer.allowedIps.add(decodeAllowedIp(value));
            case "protocol_version" -> {
                if (!value.contentEquals("1")) {
                    throw invalid("protocol_version must be 1");
                }
            }
            default -> throw invalid(isDeviceKey(key) ? "device key " + key + " after a public_key"
                    : "unknown peer key " + printable(key));
        }
    }

    private void closePeer() {
        if (peer != null) {
            peers.add(new PeerUpdate(peer.publicKey, peer.remove, peer.updateOnly, peer.presharedKey, peer.endpoint,
                    peer.persistentKeepalive, peer.replaceAllowedIps, peer.allowedIps));
            peer = null;
        }
    }

    private interface KeyFactory<K extends Key> {
        K fromBytes(byte[] bytes);
    }

    private <K extends Key> K decodeKey(AsciiView value, String what, KeyFactory<K> factory)
            throws ConfigurationException {
        if (value.length() != 2 * Key.KEY_LENGTH) {
            throw invalid(what + " must be " + 2 * Key.KEY_LENGTH + " hex digits");
        }
        byte[] bytes;
        try {
            bytes = HEX.parseHex(value);
        } catch (IllegalArgumentException e) {
            throw invalid(what + " must be " + 2 * Key.KEY_LENGTH + " hex digits");
        }
        try {
            return factory.fromBytes(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A decimal number in 0..max: ASCII digits only, no sign, no spaces (leading zeros allowed, as in Go's ParseUint). */
    private long decodeNumber(CharSequence value, long max, String what) throws ConfigurationException {
        if (value.isEmpty() || value.length() > 20) {
            throw invalid(what + " must be a number from 0 to " + max);
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(what + " must be a number from 0 to " + max);
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                throw invalid(what + " must be a number from 0 to " + max);
            }
        }
        return n;
    }

    private boolean decodeTrue(AsciiView value, String what) throws ConfigurationException {
        if (!value.contentEquals("true")) {
            throw invalid(what + " takes only the value true");
        }
        return true;
    }

    /** {@code a.b.c.d:port}, {@code [v6]:port} or {@code [v6%zone]:port}; never a host name. */
    private InetSocketAddress decodeEndpoint(AsciiView value) throws ConfigurationException {
        String text = value.toString();
        String host;
        String port;
        boolean bracketed = text.startsWith("[");
        if (bracketed) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw invalid("endpoint must be address:port or [IPv6 address]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw invalid("endpoint must be address:port or [IPv6 address]:port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int portNumber = (int) decodeNumber(port, MAX_PORT, "endpoint port");
        InetAddress address = bracketed ? decodeIpv6(host) : decodeIpv4(host);
        return new InetSocketAddress(address, portNumber);
    }

    private InetAddress decodeIpv4(String host) throws ConfigurationException {
        if (host.indexOf(':') >= 0) {
            throw invalid("an IPv6 endpoint needs brackets: [address]:port");
        }
        try {
            return InetAddress.getByAddress(IpPrefix.parseAddress(host));
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw invalid("endpoint address is not an IPv4 or bracketed IPv6 literal (the protocol resolves no names)");
        }
    }

    private InetAddress decodeIpv6(String host) throws ConfigurationException {
        int percent = host.indexOf('%');
        String literal = percent < 0 ? host : host.substring(0, percent);
        byte[] bytes;
        try {
            bytes = IpPrefix.parseAddress(literal);
        } catch (IllegalArgumentException e) {
            throw invalid("endpoint address in brackets is not an IPv6 literal");
        }
        if (bytes.length != 16) {
            throw invalid("endpoint address in brackets is not an IPv6 literal");
        }
        try {
            if (percent < 0) {
                return Inet6Address.getByAddress(null, bytes, -1);
            }
            String zone = host.substring(percent + 1);
            if (!zone.isEmpty() && zone.length() <= 10 && zone.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Inet6Address.getByAddress(null, bytes, Integer.parseInt(zone));
            }
            // an interface name, as getnameinfo prints a link-local scope: looked up locally (no DNS)
            // and kept as its index, since the JDK ties a named scope to the interface's own addresses
            NetworkInterface nif = zone.isEmpty() || zone.length() > 15 ? null : NetworkInterface.getByName(zone);
            if (nif == null || nif.getIndex() <= 0) {
                throw invalid("endpoint names an unknown IPv6 scope");
            }
            return Inet6Address.getByAddress(null, bytes, nif.getIndex());
        } catch (UnknownHostException | SocketException | NumberFormatException e) {
            throw invalid("endpoint names an unknown IPv6 scope");
        }
    }

    /** {@code address/length}; host bits are cleared, as wireguard-go and the kernel do. */
    private IpPrefix decodeAllowedIp(AsciiView value) throws ConfigurationException {
        String text = value.toString();
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw invalid("allowed_ip must be address/length");
        }
        try {
            byte[] address = IpPrefix.parseAddress(text.substring(0, slash));
            long length = decodeNumber(text.substring(slash + 1), address.length * 8L, "allowed_ip prefix length");
            return IpPrefix.ofMasked(address, (int) length);
        } catch (IllegalArgumentException e) {
            throw invalid("allowed_ip must be address/length");
        }
    }

    private static boolean isPeerKey(AsciiView key) {
        return switch (key.toString()) {
            case "remove", "update_only", "preshared_key", "endpoint", "persistent_keepalive_interval",
                 "replace_allowed_ips", "allowed_ip", "protocol_version" -> true;
            default -> false;
        };
    }

    private static boolean isDeviceKey(AsciiView key) {
        return switch (key.toString()) {
            case "private_key", "listen_port", "fwmark", "replace_peers" -> true;
            default -> false;
        };
    }

    /** A key name fit for a message: short lowercase ASCII only, else a placeholder (it could be anything). */
    private static String printable(AsciiView key) {
        if (key.length() > 0 && key.length() <= 40
                && key.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return "\"" + key + "\"";
        }
        return "(unprintable)";
    }

    private ConfigurationException invalid(String reason) {
        return new ConfigurationException(ConfigurationException.EINVAL, "set line " + lineNumber + ": " + reason);
    }

    /** The peer section being read; becomes a {@link PeerUpdate} when the next one starts or the request ends. */
    private static final class PeerSection {
        final PublicKey publicKey;
        boolean remove;
        boolean updateOnly;
        Optional<Optional<PresharedKey>> presharedKey = Optional.empty();
        Optional<InetSocketAddress> endpoint = Optional.empty();
        OptionalInt persistentKeepalive = OptionalInt.empty();
        boolean replaceAllowedIps;
        final List<IpPrefix> allowedIps = new ArrayList<>();

        PeerSection(PublicKey publicKey) {
            this.publicKey = publicKey;
        }
    }
}
