package net.weft.labs.wg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Shell;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One run of a network lab: namespaces {@code weft-lab-<run>-<role>}, veth links between them,
 * WireGuard interfaces {@code wl<run><role>} and their daemons, keys and logs in
 * {@code <labs>/<buildDir>/wg-lab/<run>/}. {@code <run>} is 4 random hex digits, checked against
 * namespaces and UAPI sockets that exist, so parallel runs on one machine do not collide.
 *
 * <p>Register it as a JUnit extension field ({@code @RegisterExtension final WgLab lab = new
 * WgLab();}): a test builds what it needs through it; when the test fails the lab prints its
 * transcript, the state of its interfaces and every daemon log; after each test, failed or not,
 * it stops the processes it started, ends any process left in its namespaces (the daemons
 * wg-quick detached), deletes its namespaces and removes sockets its daemons left behind. A JVM
 * shutdown hook does the same if the test JVM is stopped mid-test.
 *
 * <p>Addresses: underlay links from 198.51.100.0/24 and 203.0.113.0/24 (with 2001:db8:N::/64
 * beside them), overlay 100.64.0.0/24 and fd00:64::/64.
 */
final class WgLab implements AfterTestExecutionCallback, AfterEachCallback {

    static final int PORT = 51820;

    /** A node's keys: the private key stays in a 0600 file, only the public key is in memory. */
    record Keys(Path privateKey, String publicKey) {
    }

    /** A veth pair: {@code xDev} in {@code x}, {@code yDev} in {@code y}. */
    record Link(Namespace x, String xDev, Namespace y, String yDev) {

        void mtu(int mtu) {
            x.ip("link", "set", xDev, "mtu", String.valueOf(mtu));
            y.ip("link", "set", yDev, "mtu", String.valueOf(mtu));
        }
    }

    /** The outer transport of a two-node lab. */
    enum Underlay {
        IPV4, IPV6
    }

    /** Two peers over one veth link, each with the other's endpoint, interfaces up (see {@link #twoNodes}). */
    record TwoNodes(Node a, Node b, Link link) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private String id;
    private Path dir;
    private Shell shell;
    private Thread shutdownHook;
    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    /** Interface names handed out, whose sockets the teardown removes if a daemon left them. */
    private final Set<String> ifnames = new LinkedHashSet<>();
    /** Logs printed when the test fails: the daemons', and any a test adds (wg-quick's). */
    private final Set<Path> logs = new LinkedHashSet<>();

    /** The run's 4 hex digits. */
    String id() {
        init();
        return id;
    }

    /** The run's folder (mode 0700): keys, logs, the transcript. */
    Path dir() {
        init();
        return dir;
    }

    Shell shell() {
        init();
        return shell;
    }

    /** Creates {@code weft-lab-<run>-<role>}. */
    Namespace namespace(String role) {
        init();
        Namespace ns = Namespace.create(shell, "weft-lab-" + id + "-" + role, role);
        namespaces.add(ns);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair between two namespaces, named {@code to-<other role>} on each side, both up. */
    Link link(Namespace x, Namespace y) {
        String xDev = "to-" + y.role();
        String yDev = "to-" + x.role();
        x.ip("link", "add", xDev, "type", "veth", "peer", "name", yDev, "netns", y.name());
        x.ip("link", "set", xDev, "up");
        y.ip("link", "set", yDev, "up");
        return new Link(x, xDev, y, yDev);
    }

    /** The WireGuard interface name for a role: {@code wl<run><role>}, at most 15 characters. */
    String ifname(String role) {
        init();
        String name = "wl" + id + role;
        if (name.length() > 15) {
            throw new IllegalArgumentException("interface name too long: " + name);
        }
        ifnames.add(name);
        return name;
    }

    /** A fresh key pair from {@code wg genkey} and {@code wg pubkey}. */
    Keys keys(String role) {
        init();
        Path keyDir = dir.resolve("keys");
        Path privateKey = keyDir.resolve(role + ".key");
        try {
            Files.createDirectories(keyDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shell.run(Namespace.COMMAND_TIMEOUT, List.of("wg", "genkey"), null, privateKey).check();
        Path publicKey = keyDir.resolve(role + ".pub");
        shell.run(Namespace.COMMAND_TIMEOUT, List.of("wg", "pubkey"), privateKey, publicKey).check();
        return new Keys(privateKey, Shell.readQuietly(publicKey).strip());
    }

    /** The path of a log file of this run; printed when the test fails. */
    Path log(String name) {
        Path log = dir().resolve(name);
        logs.add(log);
        return log;
    }

    /**
     * A node in {@code ns}: keys, the interface {@code wl<run><role>} and its daemon {@code impl},
     * started in the foreground and answering on its UAPI socket. Overlay addresses
     * {@code 100.64.0.<index>} and {@code fd00:64::<index>} (given by {@link Node#up()}).
     */
    Node node(Namespace ns, String role, int index, Impl impl) {
        impl.requireAvailable();
        String ifname = ifname(role);
        Keys keys = keys(role);
        Daemon daemon = Daemon.start(impl, ns, ifname, log("daemon-" + role + "-" + impl.name().toLowerCase() + ".log"));
        Node node = new Node(role, index, ns, ifname, keys, daemon);
        nodes.add(node);
        return node;
    }

    /**
     * A node whose daemon something else starts (wg-quick): its keys and interface name, no daemon
     * of the lab's. The teardown still ends that daemon, as a process in the lab's namespace.
     */
    Node nodeStartedElsewhere(Namespace ns, String role, int index) {
        Node node = new Node(role, index, ns, ifname(role), keys(role), null);
        nodes.add(node);
        return node;
    }

    /** A preshared key from {@code wg genpsk}, in a 0600 file of the run. */
    Path presharedKey(String name) {
        Path psk = dir().resolve("keys").resolve(name + ".psk");
        try {
            Files.createDirectories(psk.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createFile(psk, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shell.run(Namespace.COMMAND_TIMEOUT, List.of("wg", "genpsk"), null, psk).check();
        return psk;
    }

    /**
     * <pre>
     *  weft-lab-RUN-a                                            weft-lab-RUN-b
     *  wlRUNa 100.64.0.1/24 fd00:64::1/64   ==WireGuard==   wlRUNb 100.64.0.2/24 fd00:64::2/64
     *  to-b 198.51.100.1/24 2001:db8:1::1/64 <----veth----> to-a 198.51.100.2/24 2001:db8:1::2/64
     * </pre>
     * Daemon {@code pair.a()} on a and {@code pair.b()} on b, both listening on {@value #PORT},
     * each the other's peer with the other's overlay host routes as allowed IPs and its underlay
     * address of the given family as endpoint; interfaces up, no traffic yet.
     */
    TwoNodes twoNodes(Pair pair, Underlay underlay) {
        pair.requireAvailable();
        Namespace nsA = namespace("a");
        Namespace nsB = namespace("b");
        Link link = link(nsA, nsB);
        nsA.addAddress(link.xDev(), "198.51.100.1/24");
        nsA.addAddress(link.xDev(), "2001:db8:1::1/64");
        nsB.addAddress(link.yDev(), "198.51.100.2/24");
        nsB.addAddress(link.yDev(), "2001:db8:1::2/64");
        Node a = node(nsA, "a", 1, pair.a());
        Node b = node(nsB, "b", 2, pair.b());
        boolean v6 = underlay == Underlay.IPV6;
        a.configure(PORT);
        b.configure(PORT);
        a.addPeer(b, b.hostRoutes(), (v6 ? "[2001:db8:1::2]" : "198.51.100.2") + ":" + PORT);
        b.addPeer(a, a.hostRoutes(), (v6 ? "[2001:db8:1::1]" : "198.51.100.1") + ":" + PORT);
        a.up();
        b.up();
        return new TwoNodes(a, b, link);
    }

    // ---- JUnit callbacks -------------------------------------------------------------------------

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && id != null) {
            System.err.println(report(context.getDisplayName()));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** Stops everything this run started and deletes what it created; safe to call twice. */
    synchronized void close() {
        if (id == null) {
            return;
        }
        try {
            shell.stopAll();
            for (Namespace ns : namespaces) {
                // only the lab's processes live in the lab's namespaces: detached daemons, mostly
                for (long pid : ns.pids()) {
                    ProcessHandle.of(pid).ifPresent(p -> {
                        shell.note("ending pid " + pid + " left in " + ns + ": " + p.info().commandLine().orElse("?"));
                        end(p);
                    });
                }
                ns.delete();
            }
            for (String ifname : ifnames) {
                Path socket = Daemon.socketOf(ifname);
                if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                    shell.note("removing " + socket + ", left behind by its daemon");
                    Files.deleteIfExists(socket);
                }
            }
            deleteKeys();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            namespaces.clear();
            nodes.clear();
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already; the hook is running or will run
                }
            }
            shutdownHook = null;
            id = null;
        }
    }

    /** What to print when a test fails: the transcript, the interfaces as they are now, every log. */
    String report(String test) {
        StringBuilder out = new StringBuilder("\n====== lab " + id + " (" + dir + ") after \"" + test + "\" failed ======\n");
        for (Node node : nodes) {
            out.append("---- wg show ").append(node).append(" ----\n")
                    .append(node.wg("show", node.ifname()).output());
        }
        for (Namespace ns : namespaces) {
            out.append("---- ip -br address in ").append(ns).append(" ----\n")
                    .append(ns.exec("ip", "-br", "address").output());
        }
        out.append("---- transcript ----\n").append(Shell.readQuietly(shell.transcript()));
        for (Path log : logs) {
            out.append("---- ").append(log.getFileName()).append(" ----\n").append(tail(Shell.readQuietly(log), 400));
        }
        return out.append("====== end of lab ").append(id).append(" ======\n").toString();
    }

    private void init() {
        if (id != null) {
            return;
        }
        Path root = LabSettings.labDir();
        try {
            Files.createDirectories(root);
            for (int attempt = 0; ; attempt++) {
                String candidate = HexFormat.of().toHexDigits((short) RANDOM.nextInt(1 << 16));
                if (!taken(candidate, root)) {
                    id = candidate;
                    break;
                }
                if (attempt > 100) {
                    throw new IllegalStateException("no free lab id: clean up /var/run/netns and " + root);
                }
            }
            dir = Files.createDirectory(root.resolve(id), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shell = new Shell(dir, Map.of("LC_ALL", "C", "WG_HIDE_KEYS", "always"));
        shutdownHook = new Thread(this::close, "weft-lab-" + id + "-teardown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private static boolean taken(String candidate, Path root) throws IOException {
        if (Files.exists(root.resolve(candidate))) {
            return true;
        }
        Path netns = Path.of("/var/run/netns");
        if (Files.isDirectory(netns)) {
            try (Stream<Path> all = Files.list(netns)) {
                if (all.anyMatch(p -> p.getFileName().toString().startsWith("weft-lab-" + candidate))) {
                    return true;
                }
            }
        }
        if (Files.isDirectory(Daemon.SOCKET_DIR)) {
            try (Stream<Path> all = Files.list(Daemon.SOCKET_DIR)) {
                return all.anyMatch(p -> p.getFileName().toString().startsWith("wl" + candidate));
            }
        }
        return false;
    }

    private static void end(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private void deleteKeys() throws IOException {
        Path keyDir = dir.resolve("keys");
        if (Files.isDirectory(keyDir)) {
            try (Stream<Path> all = Files.walk(keyDir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        List<String> kept = all.size() <= lines ? all : all.subList(all.size() - lines, all.size());
        String head = all.size() <= lines ? "" : "... (" + (all.size() - lines) + " lines before)\n";
        return head + String.join("\n", kept) + "\n";
    }
}
