package net.weft.crypto.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import net.weft.crypto.key.PrivateKey;
import net.weft.node.conn.NettyBind;
import net.weft.node.device.Device;
import net.weft.node.device.DeviceCounters;
import net.weft.node.device.DeviceOptions;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerStatus;
import net.weft.node.device.PeerUpdate;
import net.weft.node.tun.TunPair;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node's {@link Device}, with the production {@link NettyBind} and an in-memory TUN, against
 * Debian's wireguard-go over real UDP (the crypto module's {@link WireGuardGoLab}: wireguard-go in a
 * namespace of its own at 100.64.0.2, reached over a veth pair). The test plays the kernel behind
 * the device's TUN: it writes ICMP echo requests from 100.64.0.1 and answers the ones that come in.
 *
 * <p>This class sits in the crypto interop package only to reuse the package-private lab. Needs
 * root and wireguard-go, wg, ip and ping; without them it fails, unless {@code WEFT_SKIP_ROOT_TESTS=1}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceWireGuardGoInteropTest {

    private static final Inet4Address US = ipv4("100.64.0.1");
    private static final Inet4Address THEM = ipv4("100.64.0.2");
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static WireGuardGoLab lab;
    private static String skipReason;

    private TunPair tun;
    private Device device;
    private PrivateKey key;

    @BeforeAll
    static void startWireGuardGo() throws IOException {
        List<String> missing = WireGuardGoLab.missingPrerequisites();
        if (!missing.isEmpty()) {
            String why = "DeviceWireGuardGoInteropTest cannot run here: " + String.join("; ", missing);
            if ("1".equals(System.getenv("WEFT_SKIP_ROOT_TESTS"))) {
                System.err.println("\n!!!!!! SKIPPING DeviceWireGuardGoInteropTest (WEFT_SKIP_ROOT_TESTS=1): " + why + "\n");
                skipReason = "WEFT_SKIP_ROOT_TESTS=1, so skipped: " + why;
                return;
            }
            fail("\n!!!!!! " + why + ".\nRun the tests as root with those tools installed, or set WEFT_SKIP_ROOT_TESTS=1.\n");
        }
        lab = WireGuardGoLab.start(RANDOM);
    }

    @AfterAll
    static void stopWireGuardGo() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void startDevice() throws Exception {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
        tun = TunPair.create("wgdev", 1420, 4 << 20);
        device = new Device(tun.device(), new NettyBind(), DeviceOptions.defaults().withLoggerName("test.interop"));
        key = PrivateKey.generate(RANDOM);
        device.apply(new DeviceUpdate(Optional.of(Optional.of(key)), OptionalInt.empty(), OptionalInt.empty(), false,
                List.of(new PeerUpdate(lab.publicKey(), false, false, Optional.empty(), Optional.of(lab.endpoint()),
                        OptionalInt.empty(), false, List.of(IpPrefix.parse("100.64.0.2/32"))))));
        device.start();
        lab.replacePeer(key.publicKey(), null, new InetSocketAddress(lab.hostAddress(), device.status().listenPort()));
    }

    @AfterEach
    void stopDevice() {
        if (device != null) {
            device.close();
        }
    }

    @Test
    void asInitiatorTheDeviceCarriesPingsBothWaysAndCountsLikeWireGuardGo() throws Exception {
        for (int seq = 1; seq <= 20; seq++) {
            IcmpEcho request = IcmpEcho.request(US, THEM, 0x4242, seq, ("weft " + seq).getBytes());
            tun.host().write(ByteBuffer.wrap(request.toPacket()));
            assertThat(awaitPacket()).isEqualTo(request.reply());
        }
        DeviceCounters c = device.counters();
        assertThat(c.handshakes(DeviceCounters.Handshake.INITIATION_SENT)).isEqualTo(1);
        assertThat(c.handshakes(DeviceCounters.Handshake.COMPLETED)).isEqualTo(1);
        assertThat(c.dropsTotal()).isZero();

        // wg show on wireguard-go's side counts the same datagrams we do, the other way round
        PeerStatus ours = device.status().peers().getFirst();
        String[] theirs = lab.wg("show", lab.interfaceName(), "transfer").trim().split("\\s+");
        assertThat(Long.parseLong(theirs[1])).as("wireguard-go rx").isEqualTo(ours.txBytes());
        assertThat(Long.parseLong(theirs[2])).as("wireguard-go tx").isEqualTo(ours.rxBytes());
        assertThat(ours.lastHandshakeEpochNanos()).isPositive();
    }

    @Test
    void asResponderTheDeviceAnswersWireGuardGosInitiation() throws Exception {
        Process ping = lab.startPing(US.getHostAddress(), 8);
        IcmpEcho request = awaitPacket();
        assertThat(request.type()).isEqualTo(IcmpEcho.ECHO_REQUEST);
        assertThat(request.source()).isEqualTo(THEM);
        tun.host().write(ByteBuffer.wrap(request.reply().toPacket()));
        assertThat(ping.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(ping.exitValue()).as("ping through the device: " + new String(ping.getInputStream().readAllBytes()))
                .isZero();
        assertThat(device.counters().handshakes(DeviceCounters.Handshake.RESPONSE_SENT)).isEqualTo(1);
        assertThat(device.counters().handshakes(DeviceCounters.Handshake.COMPLETED)).isEqualTo(1);
        assertThat(device.counters().dropsTotal()).isZero();
    }

    /** The next packet the device writes to its TUN, parsed. */
    private IcmpEcho awaitPacket() throws Exception {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (tun.host().pending() == 0) {
            if (System.nanoTime() - deadline > 0) {
                fail("no packet from wireguard-go within " + ANSWER_TIMEOUT + "; device " + device.counters()
                        + "\n---- wireguard-go log ----\n" + lab.daemonLog());
            }
            Thread.sleep(2);
        }
        ByteBuffer b = ByteBuffer.allocate(65535);
        int n = tun.host().read(b);
        return IcmpEcho.parse(Arrays.copyOf(b.array(), n));
    }

    private static Inet4Address ipv4(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
