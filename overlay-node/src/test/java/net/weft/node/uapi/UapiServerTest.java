package net.weft.node.uapi;

import static net.weft.node.uapi.UapiTexts.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.weft.crypto.key.PublicKey;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.PeerStatus;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link UapiServer} on a real Unix domain socket in a temporary directory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UapiServerTest {

    private static final String OK = "errno=0\n\n";
    private static final String GET = "get=1\n\n";
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    @TempDir
    Path tmp;

    private final InMemoryConfigurable device = new InMemoryConfigurable();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private UapiServer start(Path dir, String name, UapiLimits limits) throws IOException {
        UapiServer server = new UapiServer(dir, name, device, limits);
        toClose.add(server);
        return server;
    }

    private UapiServer start() throws IOException {
        return start(tmp, "wgtest0", UapiLimits.DEFAULTS);
    }

    private UapiClient client(UapiServer server) throws IOException {
        UapiClient c = new UapiClient(server.socketPath());
        toClose.add(c);
        return c;
    }

    @Test
    void theSocketIsOwnerOnlyInADirectoryCreated0755() throws Exception {
        Path dir = tmp.resolve("run/wireguard");
        UapiServer server = start(dir, "wgtest0", UapiLimits.DEFAULTS);

        assertThat(server.socketPath()).isEqualTo(dir.resolve("wgtest0.sock"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
        int mode = (Integer) Files.getAttribute(server.socketPath(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(mode & S_IFMT).as("a socket").isEqualTo(S_IFSOCK);
        assertThat(mode & 07777).as("mode").isEqualTo(0600);
        // the private directory it was bound in is gone
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(server.socketPath());
        }
        assertThat(server.socketFilePresent()).isTrue();
    }

    @Test
    void oneConnectionServesManyRequests() throws Exception {
        UapiServer server = start();
        UapiClient c = client(server);

        assertThat(c.request(GET)).isEqualTo(OK);
        assertThat(c.request("set=1\nlisten_port=51820\npublic_key=" + hex(0x22) + "\nallowed_ip=100.64.0.2/32\n\n"))
                .isEqualTo(OK);
        assertThat(c.request(GET)).startsWith("listen_port=51820\npublic_key=" + hex(0x22) + "\n").endsWith(OK);
        assertThat(c.request("set=1\nbogus=1\n\n")).isEqualTo("errno=-22\n\n");
        assertThat(c.request(GET)).contains("allowed_ip=100.64.0.2/32\n");
    }

    @Test
    void requestsSplitAnywhereAndPipelinedAreServedInOrder() throws Exception {
        UapiServer server = start();
        UapiClient c = client(server);
        String requests = "set=1\nlisten_port=7\n\n" + GET + "set=1\nlisten_port=8\n\n" + GET;
        for (int i = 0; i < requests.length(); i += 3) {
            c.send(requests.substring(i, Math.min(requests.length(), i + 3)));
        }
        assertThat(c.readAnswer(UapiClient.ANSWER_TIMEOUT)).isEqualTo(OK);
        assertThat(c.readAnswer(UapiClient.ANSWER_TIMEOUT)).isEqualTo("listen_port=7\n" + OK);
        assertThat(c.readAnswer(UapiClient.ANSWER_TIMEOUT)).isEqualTo(OK);
        assertThat(c.readAnswer(UapiClient.ANSWER_TIMEOUT)).isEqualTo("listen_port=8\n" + OK);
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path stale = tmp.resolve("wgtest0.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();

        UapiServer server = start();
        assertThat(client(server).request(GET)).isEqualTo(OK);
    }

    @Test
    void aLiveSocketIsLeftToItsDaemon() throws Exception {
        UapiServer first = start();

        assertThatThrownBy(() -> start())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("another daemon owns wgtest0");
        assertThat(first.socketFilePresent()).isTrue();
        assertThat(client(first).request(GET)).isEqualTo(OK);
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).as("nothing left behind by the refused start").containsExactly(first.socketPath());
        }
    }

    @Test
    void aFileThatIsNoSocketIsNeverReplaced() throws Exception {
        Path file = tmp.resolve("wgtest0.sock");
        Files.writeString(file, "not a socket");

        assertThatThrownBy(() -> start()).isInstanceOf(IOException.class).hasMessageContaining("not a socket");
        assertThat(file).hasContent("not a socket");
    }

    @Test
    void badInterfaceNamesAreRefused() {
        for (String name : new String[] {"", "a234567890123456", "..", ".", "a/b", "a:b", "a b", "wg\u00e9"}) {
            assertThatThrownBy(() -> new UapiServer(tmp, name, device)).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closeRemovesTheSocketAndStopsEveryThread() throws Exception {
        UapiServer server = start();
        UapiClient idle = client(server);
        UapiClient midRequest = client(server);
        midRequest.send("set=1\nlisten_port=9\n");
        assertThat(client(server).request(GET)).isEqualTo(OK);

        server.close();

        assertThat(server.socketPath()).doesNotExist();
        assertThat(server.anyThreadAlive()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("weft-uapi-wgtest0"));
        assertThat(idle.awaitClose(Duration.ofSeconds(5))).isTrue();
        assertThat(midRequest.awaitClose(Duration.ofSeconds(5))).isTrue();
        assertThat(device.appliedCount()).isZero();
        server.close();
    }

    @Test
    void closeLeavesAFileThatIsNoLongerOurs() throws Exception {
        UapiServer server = start();
        Files.delete(server.socketPath());
        assertThat(server.socketFilePresent()).isFalse();
        Files.writeString(server.socketPath(), "someone else's");

        server.close();

        assertThat(server.socketPath()).hasContent("someone else's");
    }

    @Test
    void clientsThatOnlyConnectAndLeaveDoNoHarm() throws Exception {
        UapiServer server = start();
        // wg probes each socket in /var/run/wireguard like this when listing interfaces
        for (int i = 0; i < 200; i++) {
            new UapiClient(server.socketPath()).close();
        }
        assertThat(client(server).request(GET)).isEqualTo(OK);
        awaitOpenConnections(server, 1);
    }

    @Test
    void stuckClientsDoNotDelayOthers() throws Exception {
        UapiServer server = start(tmp, "wgtest0", new UapiLimits(1024, 1 << 20, 1000, 4,
                Duration.ofSeconds(30), Duration.ofSeconds(30)));
        UapiClient silent = client(server);
        UapiClient halfRequest = client(server);
        halfRequest.send("set=1\nlisten_port=1\n");

        // served long before either stuck client times out
        assertThat(client(server).request(GET)).isEqualTo(OK);
        assertThat(silent.awaitClose(Duration.ofMillis(200))).isFalse();
        assertThat(halfRequest.awaitClose(Duration.ofMillis(200))).isFalse();
    }

    @Test
    void stuckClientsHoldingEverySlotAreClosedInTime() throws Exception {
        UapiServer server = start(tmp, "wgtest0", new UapiLimits(1024, 1 << 20, 1000, 2,
                Duration.ofMillis(500), Duration.ofMillis(500)));
        UapiClient silent = client(server);
        UapiClient halfRequest = client(server);
        halfRequest.send("set=1\nlisten_port=1\n");
        awaitOpenConnections(server, 2);

        // waits in the backlog until the watchdog frees a slot
        UapiClient patient = client(server);
        assertThat(patient.request(GET)).isEqualTo(OK);

        assertThat(silent.awaitClose(Duration.ofSeconds(5))).isTrue();
        assertThat(halfRequest.awaitClose(Duration.ofSeconds(5))).isTrue();
        assertThat(halfRequest.pending()).isEmpty();
        assertThat(device.appliedCount()).isZero();
    }

    @Test
    void aClientThatNeverReadsItsAnswerIsCut() throws Exception {
        List<PeerStatus> peers = new ArrayList<>();
        for (int i = 1; i <= 5000; i++) {
            peers.add(new PeerStatus(keyNumber(i), Optional.empty(), Optional.empty(), 0, 0, 0, 0, List.of(IpPrefix.parse("100.64.0.1/32"))));
        }
        device.set(new DeviceStatus(Optional.empty(), 0, 0, peers));
        // one slot: the next client is served only once the greedy one has been cut
        UapiServer server = start(tmp, "wgtest0", new UapiLimits(1024, 1 << 20, 1000, 1,
                Duration.ofSeconds(30), Duration.ofMillis(500)));

        // about 4 MB of answers to requests that are never read fill both socket buffers
        UapiClient greedy = client(server);
        greedy.send(GET.repeat(10));

        String answer = client(server).request(GET);
        assertThat(answer).startsWith("public_key=").endsWith(OK);
        assertThat(greedy.awaitClose(Duration.ofSeconds(10))).isTrue();
        assertThat(greedy.pending().length()).as("cut before its tenth answer").isLessThan(10 * answer.length());
    }

    private static PublicKey keyNumber(int i) {
        return PublicKey.fromHex(String.format("%08x", i) + "00".repeat(28));
    }

    private static void awaitOpenConnections(UapiServer server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.openConnections()).isEqualTo(expected);
    }
}
