package net.weft.labs.wg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.weft.labs.mesh.MeshLabs;

/**
 * Where the labs find the repository and put their files, and what they need from the machine.
 * The labs module's surefire sets {@code weft.repoRoot} (the parent of the labs module) and
 * {@code weft.lab.dir} (under the module's build directory, so {@code -Dweft.buildDir} applies).
 */
final class LabSettings {

    /** Every command the labs run, besides the daemons themselves. */
    static final List<String> TOOLS = List.of("ip", "wg", "wg-quick", "ping", "iperf3", "nft", "ss", "sysctl", "env");

    private LabSettings() {
    }

    static Path repoRoot() {
        String root = System.getProperty("weft.repoRoot");
        if (root != null) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return here.getFileName() != null && here.getFileName().toString().equals("labs") ? here.getParent() : here;
    }

    static Path labDir() {
        String dir = System.getProperty("weft.lab.dir");
        return dir != null ? Path.of(dir).toAbsolutePath()
                : Path.of(System.getProperty("user.dir"), "target", "wg-lab").toAbsolutePath();
    }

    /**
     * Fails loudly unless the labs can run here (root, the tools on the PATH); with
     * {@code WEFT_SKIP_ROOT_TESTS=1} it skips them instead, with a reason nobody can miss.
     */
    static void requireRootAndTools(String what) {
        List<String> missing = new ArrayList<>();
        if (!net.weft.labs.netns.Shell.isRoot()) {
            missing.add("not running as root (network namespaces, TUN devices and /var/run/wireguard need it)");
        }
        for (String tool : TOOLS) {
            if (Impl.onPath(tool).isEmpty()) {
                missing.add(tool + " is not installed");
            }
        }
        MeshLabs.requireNothingMissing(what, missing, "Run the tests as root with those tools installed (`./weft test`"
                + " as root installs them: wireguard-go wireguard-tools iproute2 iputils-ping iperf3 nftables)");
    }

}
