package net.weft.labs.wg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
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
 * wireguard-go's command line, daemon by daemon (WEFT, and GO as the control): without
 * {@code -f} the command returns once {@code /var/run/wireguard/IFNAME.sock} answers, leaving
 * the daemon behind; SIGTERM ends a daemon, which takes its socket and its interface with it.
 * One namespace, {@code weft-lab-RUN-a}, with the interface {@code wlRUNa} and no peers.
 */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class WgDaemonContractLabTest {

    @RegisterExtension
    final WgLab lab = new WgLab();

    @BeforeAll
    static void requireRoot() {
        LabSettings.requireRootAndTools("the WireGuard labs (WgDaemonContractLabTest)");
    }

    static List<Impl> impls() {
        return Impl.selected().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void detachesAndReturnsOnceItsSocketAnswers(Impl impl) throws IOException {
        impl.requireAvailable();
        Namespace ns = lab.namespace("a");
        Node node = lab.nodeStartedElsewhere(ns, "a", 1);

        Shell.Result started = ns.execLogged(Duration.ofSeconds(20), lab.log("detached-a.log"),
                List.of("env", "LOG_LEVEL=verbose", impl.executable(), node.ifname()));

        assertThat(started.exit()).as("exit code of `%s %s` (without -f)", impl.executable(), node.ifname()).isZero();
        // no polling: once the command has returned, the socket must be there and answer
        Path socket = Daemon.socketOf(node.ifname());
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).as("%s right after the command returned", socket).isTrue();
        node.wg("show", node.ifname()).check();
        // wireguard-go's socket is srwx------: nobody but root may configure the device
        assertThat(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS))
                .as("permissions of %s", socket)
                .doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
        List<Long> daemons = ns.pids();
        assertThat(daemons).as("processes left running in %s", ns).isNotEmpty();

        // the detached daemon is a working device...
        node.configure(WgLab.PORT);
        assertThat(node.wg("show", node.ifname(), "listen-port").check().output().strip())
                .isEqualTo(String.valueOf(WgLab.PORT));
        // ...and still ends with its interface
        ns.ip("link", "del", node.ifname());
        for (long pid : daemons) {
            ProcessHandle.of(pid).ifPresent(p -> Poll.until(Duration.ofSeconds(5),
                    "detached daemon pid " + pid + " to exit after ip link del", () -> !p.isAlive()));
        }
        assertThat(Files.exists(Daemon.socketOf(node.ifname()), LinkOption.NOFOLLOW_LINKS))
                .as("socket after the detached daemon exited").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void exitsOnSigtermRemovingItsSocketAndInterface(Impl impl) {
        impl.requireAvailable();
        Namespace ns = lab.namespace("a");
        Node node = lab.node(ns, "a", 1, impl);
        node.configure(WgLab.PORT);
        node.up();
        Daemon daemon = node.daemon();

        daemon.terminate();

        assertThat(daemon.awaitExit(Duration.ofSeconds(5))).as("exit code of %s after SIGTERM", daemon).isZero();
        assertThat(Files.exists(daemon.socket(), LinkOption.NOFOLLOW_LINKS)).as("%s after SIGTERM", daemon.socket()).isFalse();
        assertThat(ns.exec("ip", "link", "show", node.ifname()).ok()).as("interface %s still there", node.ifname()).isFalse();
    }
}
