package net.weft.node.uapi;

import static net.weft.node.uapi.UapiTexts.converse;
import static net.weft.node.uapi.UapiTexts.hex;
import static net.weft.node.uapi.UapiTexts.presharedKey;
import static net.weft.node.uapi.UapiTexts.privateKey;
import static net.weft.node.uapi.UapiTexts.publicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import net.weft.node.device.Configurable;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerStatus;
import net.weft.node.device.PeerUpdate;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The UAPI text protocol through a {@link UapiSession} over in-memory channels: exact texts both ways. */
class UapiProtocolTest {

    private static final String OK = "errno=0\n\n";
    private static final String EINVAL = "errno=-22\n\n";
    private static final String GET = "get=1\n\n";

    private final InMemoryConfigurable device = new InMemoryConfigurable();

    @Test
    void getOfAnEmptyDeviceIsOnlyTheErrno() {
        assertThat(converse(device, GET)).isEqualTo(OK);
    }

    @Test
    void getAnswersTheDeviceThenEachPeerInWireGuardGoOrder() throws Exception {
        device.set(new DeviceStatus(Optional.of(privateKey(0x11)), 51820, 0xfffffffe, List.of(
                new PeerStatus(publicKey(0x22), Optional.of(presharedKey(0x33)),
                        Optional.of(new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 51820)),
                        1_700_000_000_123_456_789L, 1024, 2048, 25,
                        List.of(IpPrefix.parse("100.64.0.2/32"), IpPrefix.parse("fd00:64::2/128"))),
                new PeerStatus(publicKey(0x44), Optional.empty(),
                        Optional.of(new InetSocketAddress(InetAddress.getByName("fd00:0:0::5"), 51821)),
                        0, 0, -1, 0, List.of()),
                new PeerStatus(publicKey(0x55), Optional.empty(), Optional.empty(), 0, 0, 0, 0,
                        List.of(IpPrefix.parse("0.0.0.0/0"))))));

        assertThat(converse(device, GET)).isEqualTo(""
                + "private_key=" + "11".repeat(32) + "\n"
                + "listen_port=51820\n"
                + "fwmark=4294967294\n"
                + "public_key=" + "22".repeat(32) + "\n"
                + "preshared_key=" + "33".repeat(32) + "\n"
                + "protocol_version=1\n"
                + "endpoint=203.0.113.5:51820\n"
                + "last_handshake_time_sec=1700000000\n"
                + "last_handshake_time_nsec=123456789\n"
                + "tx_bytes=2048\n"
                + "rx_bytes=1024\n"
                + "persistent_keepalive_interval=25\n"
                + "allowed_ip=100.64.0.2/32\n"
                + "allowed_ip=fd00:64::2/128\n"
                + "public_key=" + "44".repeat(32) + "\n"
                + "preshared_key=" + "00".repeat(32) + "\n"
                + "protocol_version=1\n"
                + "endpoint=[fd00::5]:51821\n"
                + "last_handshake_time_sec=0\n"
                + "last_handshake_time_nsec=0\n"
                + "tx_bytes=18446744073709551615\n"
                + "rx_bytes=0\n"
                + "persistent_keepalive_interval=0\n"
                + "public_key=" + "55".repeat(32) + "\n"
                + "preshared_key=" + "00".repeat(32) + "\n"
                + "protocol_version=1\n"
                + "last_handshake_time_sec=0\n"
                + "last_handshake_time_nsec=0\n"
                + "tx_bytes=0\n"
                + "rx_bytes=0\n"
                + "persistent_keepalive_interval=0\n"
                + "allowed_ip=0.0.0.0/0\n"
                + "errno=0\n\n");
    }

    @Test
    void getLeavesOutAnUnsetListenPortAndFwmark() {
        device.set(new DeviceStatus(Optional.of(privateKey(0x11)), 0, 0, List.of()));
        assertThat(converse(device, GET)).isEqualTo("private_key=" + "11".repeat(32) + "\nerrno=0\n\n");
    }

    @Test
    void setDecodesEveryKeyIntoOneUpdate() throws Exception {
        String reply = converse(device, "set=1\n"
                + "private_key=" + hex(0x11) + "\n"
                + "listen_port=51820\n"
                + "fwmark=4294967295\n"
                + "replace_peers=true\n"
                + "public_key=" + hex(0x22) + "\n"
                + "protocol_version=1\n"
                + "preshared_key=" + hex(0x33) + "\n"
                + "endpoint=203.0.113.5:51820\n"
                + "persistent_keepalive_interval=25\n"
                + "allowed_ip=100.64.0.9/32\n"
                + "replace_allowed_ips=true\n"
                + "allowed_ip=100.64.0.2/32\n"
                + "allowed_ip=fd00:64::2/128\n"
                + "public_key=" + hex(0x44) + "\n"
                + "update_only=true\n"
                + "endpoint=[fd00::5]:51821\n"
                + "preshared_key=" + hex(0) + "\n"
                + "public_key=" + hex(0x55) + "\n"
                + "remove=true\n"
                + "\n");

        assertThat(reply).isEqualTo(OK);
        assertThat(device.lastUpdate()).isEqualTo(new DeviceUpdate(
                Optional.of(Optional.of(privateKey(0x11))), OptionalInt.of(51820), OptionalInt.of(-1), true, List.of(
                new PeerUpdate(publicKey(0x22), false, false, Optional.of(Optional.of(presharedKey(0x33))),
                        Optional.of(new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 51820)),
                        OptionalInt.of(25), true,
                        // the replace_allowed_ips line also drops 100.64.0.9/32 listed before it
                        List.of(IpPrefix.parse("100.64.0.2/32"), IpPrefix.parse("fd00:64::2/128"))),
                new PeerUpdate(publicKey(0x44), false, true, Optional.of(Optional.empty()),
                        Optional.of(new InetSocketAddress(InetAddress.getByName("fd00::5"), 51821)),
                        OptionalInt.empty(), false, List.of()),
                new PeerUpdate(publicKey(0x55), true, false, Optional.empty(), Optional.empty(),
                        OptionalInt.empty(), false, List.of()))));
    }

    @Test
    void anEmptySetIsAnEmptyUpdate() {
        assertThat(converse(device, "set=1\n\n")).isEqualTo(OK);
        assertThat(device.lastUpdate()).isEqualTo(new DeviceUpdate(Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), false, List.of()));
    }

    @Test
    void aZeroPrivateKeyRemovesIt() {
        assertThat(converse(device, "set=1\nprivate_key=" + hex(0x11) + "\n\n")).isEqualTo(OK);
        assertThat(device.status().privateKey()).contains(privateKey(0x11));

        assertThat(converse(device, "set=1\nprivate_key=" + hex(0) + "\n\n")).isEqualTo(OK);
        assertThat(device.lastUpdate().privateKey()).contains(Optional.empty());
        assertThat(device.status().privateKey()).isEmpty();
        assertThat(converse(device, GET)).isEqualTo(OK);
    }

    @Test
    void aZeroPresharedKeyRemovesIt() {
        converse(device, "set=1\npublic_key=" + hex(0x22) + "\npreshared_key=" + hex(0x33) + "\n\n");
        assertThat(device.status().peers().getFirst().presharedKey()).contains(presharedKey(0x33));

        assertThat(converse(device, "set=1\npublic_key=" + hex(0x22) + "\npreshared_key=" + hex(0) + "\n\n"))
                .isEqualTo(OK);
        assertThat(device.status().peers().getFirst().presharedKey()).isEmpty();
    }

    @Test
    void upperCaseHexIsAcceptedAsWireGuardGoDoes() {
        assertThat(converse(device, "set=1\nprivate_key=" + "AB".repeat(32) + "\n\n")).isEqualTo(OK);
        assertThat(device.status().privateKey()).contains(privateKey(0xab));
    }

    @Test
    void allowedIpHostBitsAreClearedAndLeadingZerosInNumbersAccepted() {
        assertThat(converse(device, "set=1\nlisten_port=051820\npublic_key=" + hex(0x22)
                + "\nallowed_ip=100.64.0.1/24\nallowed_ip=fd00:64::1/48\n\n")).isEqualTo(OK);
        assertThat(device.status().listenPort()).isEqualTo(51820);
        assertThat(device.status().peers().getFirst().allowedIps())
                .containsExactly(IpPrefix.parse("100.64.0.0/24"), IpPrefix.parse("fd00:64::/48"));
    }

    @Test
    void scopedIpv6EndpointsRoundTrip() throws Exception {
        int loopback = NetworkInterface.getByName("lo").getIndex();
        assertThat(converse(device, "set=1\npublic_key=" + hex(0x22) + "\nendpoint=[fe80::1%lo]:51820\n"
                + "public_key=" + hex(0x44) + "\nendpoint=[fe80::2%7]:51821\n\n")).isEqualTo(OK);

        InetSocketAddress named = device.status().peers().get(0).endpoint().orElseThrow();
        assertThat(((Inet6Address) named.getAddress()).getScopeId()).isEqualTo(loopback);
        // a named scope comes back as its index, which wg parses the same way
        assertThat(converse(device, GET))
                .contains("endpoint=[fe80::1%" + loopback + "]:51820\n", "endpoint=[fe80::2%7]:51821\n");
    }

    @Test
    void oneConnectionServesRequestAfterRequest() {
        String reply = converse(device, "set=1\nlisten_port=1\n\n" + GET + "set=1\nlisten_port=2\n\n" + GET);
        assertThat(reply).isEqualTo(OK + "listen_port=1\n" + OK + OK + "listen_port=2\n" + OK);
    }

    @Test
    void theDevicesErrnoIsAnsweredNegated() {
        device.failNext(new ConfigurationException(ConfigurationException.EADDRINUSE, "port taken"));
        assertThat(converse(device, "set=1\nlisten_port=1\n\n" + GET)).isEqualTo("errno=-98\n\n" + OK);
        assertThat(device.appliedCount()).isZero();
    }

    @Test
    void aDeviceThatThrowsAnswersEioAndTheConnectionGoesOn() {
        Configurable broken = new Configurable() {
            @Override
            public void apply(DeviceUpdate update) {
                throw new IllegalStateException("broken device");
            }

            @Override
            public DeviceStatus status() {
                throw new IllegalStateException("broken device");
            }
        };
        assertThat(converse(broken, GET + "set=1\n\n" + GET)).isEqualTo("errno=-5\n\n".repeat(3));
    }

    /** Each body is a whole {@code set=1} request that must be refused as a whole. */
    static Stream<String> badSetRequests() {
        String pub = "public_key=" + hex(0x66) + "\n";
        return Stream.of(
                "foo=bar\n",
                "LISTEN_PORT=1\n",
                "listen_port\n",
                "=1\n",
                "private_key=" + "zz".repeat(32) + "\n",
                "private_key=" + hex(0x11).substring(1) + "\n",
                "private_key=" + hex(0x11) + "0\n",
                "private_key=\n",
                "listen_port=65536\n",
                "listen_port=-1\n",
                "listen_port=+1\n",
                "listen_port=\n",
                "listen_port= 1\n",
                "listen_port=1 \n",
                "listen_port=1\r\n",
                "listen_port=0x10\n",
                "listen_port=99999999999999999999999\n",
                "listen_port=\u0661\n",
                "fwmark=4294967296\n",
                "replace_peers=false\n",
                "replace_peers=\n",
                "endpoint=203.0.113.5:1\n",
                "allowed_ip=100.64.0.1/32\n",
                "public_key=" + "zz".repeat(32) + "\n",
                "public_key=\n",
                pub + "listen_port=1\n",
                pub + "private_key=" + hex(0x11) + "\n",
                pub + "endpoint=example.com:51820\n",
                pub + "endpoint=localhost:51820\n",
                pub + "endpoint=203.0.113.5\n",
                pub + "endpoint=203.0.113.5:\n",
                pub + "endpoint=203.0.113.5:65536\n",
                pub + "endpoint=203.0.113.256:1\n",
                pub + "endpoint=203.0.113.05:1\n",
                pub + "endpoint=fd00::1:51820\n",
                pub + "endpoint=[fd00::1]51820\n",
                pub + "endpoint=[fd00::1]:\n",
                pub + "endpoint=[fd00::1\n",
                pub + "endpoint=[203.0.113.5]:1\n",
                pub + "endpoint=[fd00::1%nosuchif0]:1\n",
                pub + "endpoint=[fd00::1%]:1\n",
                pub + "endpoint=\n",
                pub + "persistent_keepalive_interval=65536\n",
                pub + "allowed_ip=100.64.0.1\n",
                pub + "allowed_ip=100.64.0.0/33\n",
                pub + "allowed_ip=fd00::/129\n",
                pub + "allowed_ip=100.64.0.0/\n",
                pub + "allowed_ip=100.64.0.0/-1\n",
                pub + "allowed_ip=host.example/8\n",
                pub + "allowed_ip=fe80::1%lo/64\n",
                pub + "allowed_ip=\n",
                pub + "protocol_version=2\n",
                pub + "protocol_version=\n",
                pub + "remove=yes\n",
                pub + "update_only=1\n",
                pub + "replace_allowed_ips=false\n",
                pub + "last_handshake_time_sec=0\n",
                pub + "rx_bytes=0\n",
                pub + "errno=0\n",
                pub + "preshared_key=" + "00".repeat(31) + "0g\n",
                pub + "endpoint=203.0.113.5:1\u0000\n",
                pub + "endpoint=203.0.113.5:1\u00e9\n",
                // good lines before and after a bad one: none of them may be applied
                "listen_port=7\nprivate_key=" + hex(0x77) + "\n" + pub + "allowed_ip=100.64.0.7/32\nbogus=1\n"
                        + "public_key=" + hex(0x22) + "\nremove=true\n");
    }

    @ParameterizedTest
    @MethodSource("badSetRequests")
    void aBadSetAnswersEinvalAndChangesNothing(String body) throws Exception {
        DeviceStatus before = configured();
        int appliedBefore = device.appliedCount();

        String reply = converse(device, "set=1\n" + body + "\n" + GET);

        // the answer, then the connection still serves the next request
        assertThat(reply).isEqualTo(EINVAL + UapiTexts.converse(device, GET));
        assertThat(device.appliedCount()).isEqualTo(appliedBefore);
        assertThat(device.status()).isEqualTo(before);
    }

    @Test
    void getWithMoreThanTheBlankLineIsRefusedAndTheConnectionGoesOn() {
        assertThat(converse(device, "get=1\nlisten_port=1\n\n" + GET)).isEqualTo(EINVAL + OK);
    }

    static Stream<String> brokenFraming() {
        return Stream.of(
                "foo=1\n\n",
                "get=2\n\n",
                "set=1 \n\n",
                "\n",
                "GET=1\n\n",
                "get=1",
                "get=1\n",
                "set=1\nlisten_port=1\n",
                "set=1\nlisten_port=1",
                "set=1\nlisten_port=" + "1".repeat(5000) + "\n\n");
    }

    /** A request whose end cannot be found: answered EINVAL, nothing applied, connection closed. */
    @ParameterizedTest
    @MethodSource("brokenFraming")
    void brokenFramingAnswersEinvalAndEndsTheConnection(String input) throws Exception {
        DeviceStatus before = configured();
        int appliedBefore = device.appliedCount();

        // a request that follows is never read
        assertThat(converse(device, input + (input.endsWith("\n\n") ? GET : ""))).isEqualTo(EINVAL);
        assertThat(device.appliedCount()).isEqualTo(appliedBefore);
        assertThat(device.status()).isEqualTo(before);
    }

    @Test
    void aClientThatSaysNothingGetsNothing() {
        assertThat(converse(device, "")).isEmpty();
    }

    @Test
    void requestsOverTheLimitsAreRefusedWhole() throws Exception {
        UapiLimits small = new UapiLimits(128, 4096, 20, 1, Duration.ofSeconds(5), Duration.ofSeconds(5));
        DeviceStatus before = configured();
        int appliedBefore = device.appliedCount();
        String peer = "public_key=" + hex(0x22) + "\n";

        String tooManyLines = "set=1\n" + peer + "allowed_ip=100.64.0.1/32\n".repeat(18) + "\n";
        String tooManyBytes = "set=1\n" + (peer + "allowed_ip=100.64.0.1/32\n").repeat(50) + "\n";
        String tooLongLine = "set=1\n" + peer + "endpoint=" + "1".repeat(120) + "\n\n";
        assertThat(converse(device, small, tooManyLines + GET)).isEqualTo(EINVAL);
        assertThat(converse(device, small, tooManyBytes + GET)).isEqualTo(EINVAL);
        assertThat(converse(device, small, tooLongLine + GET)).isEqualTo(EINVAL);
        assertThat(device.appliedCount()).isEqualTo(appliedBefore);
        assertThat(device.status()).isEqualTo(before);

        // exactly at the line limit is fine: 20 lines with the op line and the blank line
        String atLimit = "set=1\n" + peer + "allowed_ip=100.64.0.1/32\n".repeat(17) + "\n";
        assertThat(converse(device, small, atLimit + GET)).startsWith(OK);
    }

    @Test
    void requestsNearTheDefaultLimitsAreServed() {
        StringBuilder request = new StringBuilder("set=1\n");
        for (int i = 0; i < 10_000; i++) {
            // distinct leading bytes: PublicKey hashes its first four
            request.append("public_key=").append(String.format("%08x", i + 1)).append("00".repeat(28)).append('\n')
                    .append("allowed_ip=100.64.").append(i >> 8).append('.').append(i & 0xff).append("/32\n");
        }
        assertThat(converse(device, request.append('\n').toString())).isEqualTo(OK);
        assertThat(device.status().peers()).hasSize(10_000);
    }

    /** A device with something in it, so that "unchanged" means something. */
    private DeviceStatus configured() {
        String reply = converse(device, "set=1\nprivate_key=" + hex(0x11) + "\nlisten_port=51820\n"
                + "public_key=" + hex(0x22) + "\nendpoint=203.0.113.5:51820\nallowed_ip=100.64.0.2/32\n\n");
        assertThat(reply).isEqualTo(OK);
        return device.status();
    }
}
