package net.weft.node.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.PeerStatus;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock {@code wg} (wireguard-tools) against a {@link UapiServer} on
 * {@code /var/run/wireguard/weftuNNNN.sock}, with an in-memory device behind it. No kernel
 * interface of that name exists: {@code wg} finds userspace interfaces by their socket alone.
 *
 * <p>Needs root (the socket directory) and {@code /usr/bin/wg}; without them the test fails, unless
 * {@code WEFT_SKIP_ROOT_TESTS=1} says to skip it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UapiWgToolTest {

    private static final Path WG = Path.of("/usr/bin/wg");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    private final InMemoryConfigurable device = new InMemoryConfigurable();
    private final String name = "weftu" + ProcessHandle.current().pid() % 10000;
    private UapiServer server;

    @BeforeEach
    void start() throws IOException {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("not root (the socket lives in /var/run/wireguard)");
        }
        if (!Files.isExecutable(WG)) {
            missing.add(WG + " is missing (apt-get install --no-install-recommends wireguard-tools)");
        }
        if (!missing.isEmpty()) {
            String why = "UapiWgToolTest cannot run here: " + String.join("; ", missing);
            if ("1".equals(System.getenv("WEFT_SKIP_ROOT_TESTS"))) {
                System.err.println("\n!!!!!! SKIPPING UapiWgToolTest (WEFT_SKIP_ROOT_TESTS=1): " + why + "\n");
                Assumptions.abort("WEFT_SKIP_ROOT_TESTS=1, so skipped: " + why);
            }
            fail("\n!!!!!! " + why + ".\nRun the tests as root with wireguard-tools installed, or set"
                    + " WEFT_SKIP_ROOT_TESTS=1 to skip this test deliberately.\n");
        }
        server = new UapiServer(UapiServer.DEFAULT_SOCKET_DIRECTORY, name, device);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void wgSetShowShowconfAndRemove() throws Exception {
        PrivateKey privateKey = PrivateKey.generate(RANDOM);
        PrivateKey peerPrivate = PrivateKey.generate(RANDOM);
        PublicKey peer = peerPrivate.publicKey();
        PresharedKey psk = PresharedKey.generate(RANDOM);
        Path keyFile = secretFile("private.key", privateKey.toBase64());
        Path pskFile = secretFile("psk.key", psk.toBase64());

        Result set = wg("set", name, "private-key", keyFile.toString(), "listen-port", "51820",
                "peer", peer.toBase64(), "allowed-ips", "100.64.0.2/32,fd00:64::2/128",
                "endpoint", "203.0.113.5:51820", "persistent-keepalive", "25", "preshared-key", pskFile.toString());
        assertThat(set.exit()).as(set.toString()).isZero();

        DeviceStatus status = device.status();
        assertThat(status.privateKey()).contains(privateKey);
        assertThat(status.listenPort()).isEqualTo(51820);
        assertThat(status.peers()).singleElement().satisfies(p -> {
            assertThat(p.publicKey()).isEqualTo(peer);
            assertThat(p.presharedKey()).contains(psk);
            assertThat(p.endpoint()).contains(new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 51820));
            assertThat(p.persistentKeepaliveSeconds()).isEqualTo(25);
            assertThat(p.allowedIps()).containsExactly(IpPrefix.parse("100.64.0.2/32"), IpPrefix.parse("fd00:64::2/128"));
        });

        // counters and a handshake, as a running device would report them
        PeerStatus p = status.peers().getFirst();
        device.set(new DeviceStatus(status.privateKey(), status.listenPort(), status.fwmark(), List.of(
                new PeerStatus(p.publicKey(), p.presharedKey(), p.endpoint(),
                        (System.currentTimeMillis() - 30_000) * 1_000_000L, 1024, 2048,
                        p.persistentKeepaliveSeconds(), p.allowedIps()))));

        Result show = wg("show", name);
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).contains(
                "interface: " + name + "\n",
                "  public key: " + privateKey.publicKey().toBase64() + "\n",
                "  private key: (hidden)\n",
                "  listening port: 51820\n",
                "peer: " + peer.toBase64() + "\n",
                "  preshared key: (hidden)\n",
                "  endpoint: 203.0.113.5:51820\n",
                "  allowed ips: 100.64.0.2/32, fd00:64::2/128\n",
                "  latest handshake: ",
                "  transfer: 1.00 KiB received, 2.00 KiB sent\n",
                "  persistent keepalive: every 25 seconds\n");

        Result showconf = wg("showconf", name);
        assertThat(showconf.exit()).as(showconf.toString()).isZero();
        assertThat(showconf.out()).isEqualTo("[Interface]\n"
                + "ListenPort = 51820\n"
                + "PrivateKey = " + privateKey.toBase64() + "\n"
                + "\n"
                + "[Peer]\n"
                + "PublicKey = " + peer.toBase64() + "\n"
                + "PresharedKey = " + psk.toBase64() + "\n"
                + "AllowedIPs = 100.64.0.2/32, fd00:64::2/128\n"
                + "Endpoint = 203.0.113.5:51820\n"
                + "PersistentKeepalive = 25\n");

        Result interfaces = wg("show", "interfaces");
        assertThat(interfaces.out().split("\\s+")).contains(name);

        Result remove = wg("set", name, "peer", peer.toBase64(), "remove");
        assertThat(remove.exit()).as(remove.toString()).isZero();
        assertThat(device.status().peers()).isEmpty();
        assertThat(wg("show", name).out()).doesNotContain("peer:");
    }

    @Test
    void wgWorksWithoutAKernelInterfaceOfThatName() throws Exception {
        Result link = run("ip", "link", "show", name);
        assertThat(link.exit()).as("no kernel interface " + name).isNotZero();

        Result show = wg("show", name);
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).isEqualTo("interface: " + name + "\n");
    }

    @Test
    void wgSetconfReplacesEverythingAndResolvesIpv6Endpoints() throws Exception {
        PrivateKey privateKey = PrivateKey.generate(RANDOM);
        PublicKey a = PrivateKey.generate(RANDOM).publicKey();
        PublicKey b = PrivateKey.generate(RANDOM).publicKey();
        assertThat(wg("set", name, "peer", a.toBase64(), "allowed-ips", "100.64.0.9/32").exit()).isZero();

        Path conf = tmp.resolve("weft.conf");
        Files.writeString(conf, "[Interface]\nPrivateKey = " + privateKey.toBase64() + "\nListenPort = 51821\n"
                + "FwMark = 0xca6c\n\n[Peer]\nPublicKey = " + b.toBase64() + "\nEndpoint = [fd00:64::5]:51822\n"
                + "AllowedIPs = 100.64.0.0/24, fd00:64::/64\n");
        Result setconf = wg("setconf", name, conf.toString());
        assertThat(setconf.exit()).as(setconf.toString()).isZero();

        DeviceStatus status = device.status();
        assertThat(status.fwmark()).isEqualTo(0xca6c);
        assertThat(status.peers()).singleElement().satisfies(p -> {
            assertThat(p.publicKey()).isEqualTo(b);
            assertThat(p.endpoint()).contains(new InetSocketAddress(InetAddress.getByName("fd00:64::5"), 51822));
        });
        Result show = wg("show", name);
        assertThat(show.out()).contains("  fwmark: 0xca6c\n", "  endpoint: [fd00:64::5]:51822\n",
                "  allowed ips: 100.64.0.0/24, fd00:64::/64\n");
    }

    @Test
    void wgReportsTheDevicesError() throws Exception {
        device.failNext(new ConfigurationException(ConfigurationException.EADDRINUSE, "port taken"));

        Result set = wg("set", name, "listen-port", "51823");

        assertThat(set.exit()).isNotZero();
        assertThat(set.err()).contains("Address already in use");
        assertThat(device.status().listenPort()).isZero();
    }

    @Test
    void afterCloseWgNoLongerFindsTheInterface() throws Exception {
        server.close();
        assertThat(UapiServer.DEFAULT_SOCKET_DIRECTORY.resolve(name + ".sock")).doesNotExist();

        Result show = wg("show", name);
        assertThat(show.exit()).isNotZero();
        assertThat(wg("show", "interfaces").out().split("\\s+")).doesNotContain(name);
    }

    private Path secretFile(String file, String content) throws IOException {
        Path path = tmp.resolve(file);
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(path, content + "\n");
        return path;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private Result wg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(WG.toString()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private Result run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 20 s");
        }
        return new Result(String.join(" ", command), process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(String command, int exit, String out, String err) {
    }

}
