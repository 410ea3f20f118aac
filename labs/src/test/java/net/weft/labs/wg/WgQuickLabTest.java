package net.weft.labs.wg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Poll;
import net.weft.labs.netns.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code wg-quick up} of a standard configuration file with
 * {@code WG_QUICK_USERSPACE_IMPLEMENTATION} set to the daemon of side a (run without {@code -f}:
 * wg-quick waits for it to detach), a ping across to side b (a daemon the lab starts), then
 * {@code wg-quick down}, which must end the daemon.
 *
 * <pre>
 *  weft-lab-RUN-a (wg-quick)                                weft-lab-RUN-b
 *  wlRUNa 100.64.0.1/24                   ==WireGuard==   wlRUNb 100.64.0.2/24
 *  to-b 198.51.100.1/24           <--------veth-------->  to-a 198.51.100.2/24
 * </pre>
 *
 * The file has no DNS line (wg-quick would need resolvconf) and no /0 allowed IPs (wg-quick would
 * set a fwmark, policy rules and nftables rules): this proves the daemon, not the host.
 */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class WgQuickLabTest {

    @RegisterExtension
    final WgLab lab = new WgLab();

    @BeforeAll
    static void requireRoot() {
        LabSettings.requireRootAndTools("the WireGuard labs (WgQuickLabTest)");
    }

    static List<Pair> pairs() {
        return Pair.selected().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void bringsTheInterfaceUpAndDownFromAStandardConfigFile(Pair pair) {
        pair.requireAvailable();
        Namespace nsA = lab.namespace("a");
        Namespace nsB = lab.namespace("b");
        WgLab.Link link = lab.link(nsA, nsB);
        nsA.addAddress(link.xDev(), "198.51.100.1/24");
        nsB.addAddress(link.yDev(), "198.51.100.2/24");
        Node a = lab.nodeStartedElsewhere(nsA, "a", 1);
        Node b = lab.node(nsB, "b", 2, pair.b());
        b.configure(WgLab.PORT);
        b.addPeer(a, a.overlay4() + "/32", "198.51.100.1:" + WgLab.PORT);
        b.up();
        Path conf = writeConfig(a, b);
        List<String> env = List.of("env", "WG_QUICK_USERSPACE_IMPLEMENTATION=" + pair.a().executable(),
                "WG_ENDPOINT_RESOLUTION_RETRIES=1", "LOG_LEVEL=verbose");

        Shell.Result up = nsA.execLogged(Duration.ofSeconds(25), lab.log("wg-quick-up.log"),
                concat(env, "wg-quick", "up", conf.toString()));

        assertThat(up.exit()).as("wg-quick up:\n%s", up.output()).isZero();
        // with a wireguard kernel module loaded, wg-quick would make a kernel interface and prove nothing here
        assertThat(up.output()).as("wg-quick up ran the userspace implementation")
                .contains("[#] " + pair.a().executable() + " " + a.ifname());
        List<Long> daemons = nsA.pids();
        assertThat(daemons).as("the daemon wg-quick left running in %s", nsA).isNotEmpty();
        assertThat(a.wg("show", a.ifname(), "listen-port").check().output().strip()).isEqualTo(String.valueOf(WgLab.PORT));
        // wg-quick sets the MTU from the route to the endpoint: the veth's 1500 less 80
        assertThat(nsA.ip("link", "show", a.ifname()).output()).contains("mtu 1420").contains("UP");
        nsA.awaitPing(b.overlay4(), Duration.ofSeconds(12));
        assertThat(b.endpointOf(a)).isEqualTo("198.51.100.1:" + WgLab.PORT);

        Shell.Result down = nsA.execLogged(Duration.ofSeconds(25), lab.log("wg-quick-down.log"),
                concat(env, "wg-quick", "down", conf.toString()));

        assertThat(down.exit()).as("wg-quick down:\n%s", down.output()).isZero();
        for (long pid : daemons) {
            ProcessHandle.of(pid).ifPresent(p -> Poll.until(Duration.ofSeconds(5),
                    "the daemon (pid " + pid + ") to exit after wg-quick down", () -> !p.isAlive()));
        }
        assertThat(Files.exists(Daemon.socketOf(a.ifname()), LinkOption.NOFOLLOW_LINKS))
                .as("socket after wg-quick down").isFalse();
        assertThat(nsA.exec("ip", "link", "show", a.ifname()).ok()).as("interface after wg-quick down").isFalse();
    }

    /** {@code <ifname>.conf} (wg-quick takes the interface name from the file name), 0600 in a 0700 folder. */
    private Path writeConfig(Node a, Node b) {
        Path conf = a.keys().privateKey().resolveSibling(a.ifname() + ".conf");
        String text = "[Interface]\n"
                + "PrivateKey = " + Shell.readQuietly(a.keys().privateKey()).strip() + "\n"
                + "Address = " + a.overlay4() + "/24\n"
                + "ListenPort = " + WgLab.PORT + "\n"
                + "\n"
                + "[Peer]\n"
                + "PublicKey = " + b.publicKey() + "\n"
                + "AllowedIPs = " + b.overlay4() + "/32\n"
                + "Endpoint = 198.51.100.2:" + WgLab.PORT + "\n";
        try {
            Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conf;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
