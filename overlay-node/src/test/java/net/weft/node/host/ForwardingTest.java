package net.weft.node.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Forwarding}: on a copy of the two sysctl files (no root), and on the real ones inside a
 * namespace this test creates (root).
 */
class ForwardingTest {

    @Test
    void enableTurnsBothOnAndRestorePutsBackWhatWasThere(@TempDir Path procSys) throws Exception {
        Path v4 = sysctl(procSys, Forwarding.IPV4, "0");
        Path v6 = sysctl(procSys, Forwarding.IPV6, "0");
        Forwarding f = new Forwarding(Command.host(), procSys);

        f.enableIpv4();
        f.enableIpv6();
        f.enableIpv4(); // a second call must not remember "1" as the value to restore
        assertThat(Files.readString(v4)).isEqualTo("1\n");
        assertThat(Files.readString(v6)).isEqualTo("1\n");
        assertThat(f.ipv4Enabled()).isTrue();

        f.restore();
        assertThat(Files.readString(v4)).isEqualTo("0\n");
        assertThat(Files.readString(v6)).isEqualTo("0\n");
        assertThat(f.ipv6Enabled()).isFalse();
    }

    @Test
    void aSwitchThatWasOnStaysOnAndOneNeverEnabledIsNotTouched(@TempDir Path procSys) throws Exception {
        Path v4 = sysctl(procSys, Forwarding.IPV4, "1");
        Path v6 = sysctl(procSys, Forwarding.IPV6, "0");
        Forwarding f = new Forwarding(Command.host(), procSys);

        f.enableIpv4();
        f.restore();
        assertThat(Files.readString(v4)).isEqualTo("1\n");
        assertThat(Files.readString(v6)).isEqualTo("0\n");
    }

    @Test
    void inANamespaceTheKernelSwitchesFollow() throws Exception {
        Namespaces.requireRoot("ForwardingTest.inANamespaceTheKernelSwitchesFollow");
        try (Namespaces netns = new Namespaces()) {
            Command ns = Command.inNamespace(netns.add("fwd"));
            ns.run("sysctl", "-qw", "net.ipv4.ip_forward=0", "net.ipv6.conf.all.forwarding=0");
            Forwarding f = new Forwarding(ns);
            String hostBefore = Files.readString(Path.of("/proc/sys", Forwarding.IPV4));

            f.enableIpv4();
            f.enableIpv6();
            assertThat(ns.run("sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding")).isEqualTo("1\n1\n");
            assertThat(Files.readString(Path.of("/proc/sys", Forwarding.IPV4)))
                    .as("the host's own switch is untouched").isEqualTo(hostBefore);

            f.restore();
            assertThat(ns.run("sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding")).isEqualTo("0\n0\n");
        }
    }

    private static Path sysctl(Path root, String key, String value) throws Exception {
        Path file = root.resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, value + "\n");
        return file;
    }
}
