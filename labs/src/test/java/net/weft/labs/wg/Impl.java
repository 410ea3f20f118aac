package net.weft.labs.wg;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A userspace WireGuard daemon with wireguard-go's command-line contract: {@code CMD [-f] IFNAME}
 * creates the TUN interface IFNAME, serves the UAPI on {@code /var/run/wireguard/IFNAME.sock},
 * detaches unless {@code -f}, and exits when the interface is deleted or on SIGTERM.
 */
enum Impl {

    /** Weft's daemon, {@code <repo>/bin/weft-wg} (issue 4). */
    WEFT,
    /** Debian's wireguard-go, the reference every Weft behaviour is held against. */
    GO;

    /** The executable, as {@code WG_QUICK_USERSPACE_IMPLEMENTATION} wants it: one path, no arguments. */
    String executable() {
        return switch (this) {
            case WEFT -> LabSettings.repoRoot().resolve("bin/weft-wg").toString();
            case GO -> onPath("wireguard-go").map(Path::toString).orElse("wireguard-go");
        };
    }

    /** The command that runs the daemon for {@code ifname} in the foreground. */
    List<String> foreground(String ifname) {
        return List.of(executable(), "-f", ifname);
    }

    /**
     * Fails the test, loudly, when this daemon cannot be run here. A missing {@code bin/weft-wg}
     * is a failure and never a skip: these labs are what proves the daemon exists and works.
     */
    void requireAvailable() {
        switch (this) {
            case WEFT -> {
                Path weftWg = Path.of(executable());
                if (!Files.isExecutable(weftWg)) {
                    throw new AssertionError("\n!!!!!! " + weftWg + " does not exist or is not executable: the Weft"
                            + " userspace WireGuard daemon (issue 4) has to be built there before the WEFT labs can run."
                            + " (Only the wireguard-go control pair, -Dweft.lab.control=true -Dweft.lab.pairs=GO-GO,"
                            + " runs without it.)\n");
                }
            }
            case GO -> {
                if (onPath("wireguard-go").isEmpty()) {
                    throw new AssertionError("\n!!!!!! wireguard-go is not installed: `./weft test` as root installs it"
                            + " (TEST_PACKAGES), or apt-get install --no-install-recommends wireguard-go\n");
                }
            }
        }
    }

    /**
     * What the tests of the command-line contract run, one daemon at a time: WEFT, and GO as the
     * control only with {@code -Dweft.lab.control=true}; {@code -Dweft.lab.pairs} narrows this to
     * the daemons of the pairs it names (see {@link Pair#selected()}).
     */
    static Stream<Impl> selected() {
        List<Pair> pairs = Pair.selected().toList();
        boolean control = Boolean.getBoolean(Pair.CONTROL_PROPERTY);
        return Stream.of(values())
                .filter(impl -> impl != GO || control)
                .filter(impl -> pairs.stream().anyMatch(p -> p.a() == impl || p.b() == impl));
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
