package net.weft.node.host;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces a test creates for itself ({@code weft-host-<role>-<random>}) and deletes on
 * {@link #close()}, with the root check every such test starts with.
 */
public final class Namespaces implements AutoCloseable {

    private final String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000));
    private final List<String> created = new ArrayList<>();

    /**
     * Fails the test loudly when not root, unless {@code WEFT_SKIP_ROOT_TESTS=1}, which skips it with the
     * reason printed.
     */
    public static void requireRoot(String test) throws IOException {
        if (isRoot()) {
            return;
        }
        if ("1".equals(System.getenv("WEFT_SKIP_ROOT_TESTS"))) {
            System.err.println(test + " SKIPPED: needs root (WEFT_SKIP_ROOT_TESTS=1)");
            Assumptions.abort(test + " needs root for network namespaces; skipped because WEFT_SKIP_ROOT_TESTS=1");
        }
        fail(test + " needs root (network namespaces, ip, nft); run as root or set WEFT_SKIP_ROOT_TESTS=1 to skip");
    }

    public static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

    /** Creates namespace {@code weft-host-<role>-<run>} with its loopback up, and returns its name. */
    String add(String role) throws IOException {
        String name = "weft-host-" + role + "-" + run;
        Command.host().run("ip", "netns", "add", name);
        created.add(name);
        Command.host().run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** Runs a command on the host (to create links between namespaces, always with {@code netns}). */
    static String host(String... argv) throws IOException {
        return Command.host().run(argv);
    }

    /** Deletes every namespace made here, the later first; goes on past failures. */
    @Override
    public void close() {
        for (String name : created.reversed()) {
            try {
                Command.host().run("ip", "netns", "del", name);
            } catch (IOException e) {
                System.err.println("could not delete namespace " + name + ": " + e.getMessage());
            }
        }
        created.clear();
    }
}
