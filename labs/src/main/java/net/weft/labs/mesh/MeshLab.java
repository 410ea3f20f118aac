package net.weft.labs.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Shell;

/**
 * A Weft mesh in network namespaces on this machine, driving the real processes: {@code ./weft coordinator},
 * {@code ./weft token create} and one {@code ./weft up} agent per node. Everything it makes carries the run's
 * prefix {@code wm<4 hex>} (namespaces {@code wm1a2b-<role>}, WireGuard interfaces {@code wm1a2b<node>}, the
 * host's veth {@code wm1a2bh}), so parallel runs do not collide, and {@link #close()} removes all of it: the
 * processes it started (by PID, and whatever else runs in its own namespaces), the namespaces, the host's
 * veth and UAPI sockets the agents left. A JVM shutdown hook does the same when the JVM is stopped (Ctrl-C).
 *
 * <pre>
 *   host 203.0.113.1 (wm1a2bh, optional) --+
 *   coordinator 203.0.113.10 -------------+-- wan: a bridge, 203.0.113.0/24 (wm1a2b-wan)
 *   public nodes 203.0.113.20.. ----------+      (gateways also on a VPC bridge 198.18.N.0/24,
 *   NAT routers 203.0.113.100.. ----------+       whose namespace runs an HTTP workload at 198.18.N.10:80)
 *        '-- nftables masquerade -- LAN bridge 198.51.100.32k/27 -- nodes behind the NAT
 * </pre>
 *
 * <p>Overlay 100.64.0.0/10 (the coordinator's IPAM). JDK only, so {@code java -cp} of the labs' classes runs it.
 * Needs root; a lab checks that first ({@link #requireRoot()}).
 */
public final class MeshLab implements AutoCloseable {

    public static final String HOST_ADDRESS = "203.0.113.1";
    public static final String COORDINATOR_ADDRESS = "203.0.113.10";
    public static final int COORDINATOR_PORT = 8080;
    /** The tools a mesh lab runs; {@code wg} is optional (counters in reports). */
    public static final List<String> TOOLS = List.of("ip", "nft", "ping", "timeout", "bash", "sysctl");

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int FIRST_PUBLIC_HOST = 20;
    private static final int FIRST_ROUTER_HOST = 100;
    private static final int MAX_SITES = 8;
    private static final int MAX_VPCS = 2;
    /** What {@link #tail} masks: the coordinator's admin credential line, token secrets, bearer headers. */
    private static final Pattern SECRET = Pattern.compile("(?i)(admin credential: |token: |bearer |WEFT_TOKEN=)[^\\s,]+");

    /**
     * How a lab runs.
     *
     * @param repoRoot       the repository, whose {@code ./weft} the lab runs
     * @param buildDir       the build directory of the jars {@code ./weft} runs (its {@code WEFT_BUILD_DIR})
     * @param baseDir        where the run's folder ({@code wm<id>}) goes: logs, state dirs, the spec, the transcript
     * @param hostLink       whether to give the host a veth into the wan (203.0.113.1), so a browser here reaches
     *                       the coordinator; skipped with a note when another run already holds that address
     * @param coordinatorEnv {@code WEFT_*} settings for the coordinator, e.g. {@code WEFT_LEASE_TTL=3s}
     */
    public record Options(Path repoRoot, String buildDir, Path baseDir, boolean hostLink, Map<String, String> coordinatorEnv) {

        public Options {
            coordinatorEnv = Map.copyOf(coordinatorEnv);
        }

        /**
         * The repository from {@code WEFT_HOME} (set by {@code ./weft}), else the {@code weft.repoRoot} property
         * (set by the labs' surefire), else the working directory or its parent when that is {@code labs};
         * the build directory from {@code WEFT_BUILD_DIR}, else {@code target}; the run under the temp dir.
         */
        public static Options defaults() {
            String home = System.getenv("WEFT_HOME");
            String prop = System.getProperty("weft.repoRoot");
            Path root;
            if (home != null && !home.isBlank()) {
                root = Path.of(home);
            } else if (prop != null) {
                root = Path.of(prop);
            } else {
                Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
                root = here.getFileName() != null && here.getFileName().toString().equals("labs") ? here.getParent() : here;
            }
            String buildDir = Optional.ofNullable(System.getenv("WEFT_BUILD_DIR")).filter(s -> !s.isBlank()).orElse("target");
            return new Options(root.toAbsolutePath().normalize(), buildDir, Path.of(System.getProperty("java.io.tmpdir")),
                    true, Map.of());
        }

        public Options withBaseDir(Path dir) {
            return new Options(repoRoot, buildDir, dir, hostLink, coordinatorEnv);
        }

        public Options withHostLink(boolean link) {
            return new Options(repoRoot, buildDir, baseDir, link, coordinatorEnv);
        }

        public Options withCoordinatorEnv(Map<String, String> env) {
            return new Options(repoRoot, buildDir, baseDir, hostLink, env);
        }
    }

    /** An HTTP answer: {@code status} -1 and {@code error} set when no answer came. */
    public record HttpAnswer(int status, String body, String error) {
        public boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return status < 0 ? "no answer (" + error + ")" : status + " " + body.strip().replace('\n', ' ');
        }
    }

    private final Options options;
    private final String id;
    private final Path dir;
    private final Shell shell;
    private final Namespace wan;
    /** Created namespaces, in order; deleted in reverse. Guarded by this. */
    private final List<Namespace> namespaces = new ArrayList<>();
    /** WireGuard interface names handed out: their UAPI sockets are removed at close. */
    private final Set<String> ifnames = new LinkedHashSet<>();
    private final List<MeshNode> nodes = new ArrayList<>();
    private final List<NatSite> sites = new ArrayList<>();
    private final List<Vpc> vpcs = new ArrayList<>();
    /** What the diagram shows on the wan: name to address, in attachment order. */
    private final Map<String, String> onWan = new LinkedHashMap<>();
    private final Thread shutdownHook;
    private String hostLink;
    private String hostLinkNote = "";
    private int nextPort;
    private int nextPublic = FIRST_PUBLIC_HOST;
    private int nextRouter = FIRST_ROUTER_HOST;
    private Namespace coordinatorNs;
    private Process coordinator;
    private Path spec;
    /** Held by whoever is closing the lab, so a second {@link #close()} returns only once the lab is gone. */
    private final Object closing = new Object();
    private boolean closed;
    private volatile boolean deleteFilesOnClose;
    /** Set when closing begins: from then on nothing new is created (a namespace made now would be left behind). */
    private volatile boolean closingStarted;

    private MeshLab(Options options, String id, Path dir) {
        this.options = options;
        this.id = id;
        this.dir = dir;
        this.shell = new Shell(dir, Map.of("LC_ALL", "C", "WEFT_BUILD_DIR", options.buildDir(), "WG_HIDE_KEYS", "always"));
        this.shutdownHook = new Thread(this::close, "mesh-lab-" + id + "-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            this.wan = namespace("wan");
            wan.ip("link", "add", "br0", "type", "bridge");
            wan.ip("link", "set", "br0", "up");
            if (options.hostLink()) {
                linkHost();
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Creates a lab: the run's folder, the wan namespace and its bridge, and the host's veth when asked. */
    public static MeshLab create(Options options) {
        requireRoot();
        String id = freshId();
        Path dir = options.baseDir().resolve("wm" + id).toAbsolutePath();
        try {
            Files.createDirectories(options.baseDir());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lab's folder " + dir, e);
        }
        return new MeshLab(options, id, dir);
    }

    /** Fails with a clear message unless this process is root and has the tools a lab runs. */
    public static void requireRoot() {
        List<String> missing = missingPrerequisites();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join("; ", missing));
        }
    }

    /** What keeps a lab from running here (not root, tools missing); empty when it can run. */
    public static List<String> missingPrerequisites() {
        List<String> missing = new ArrayList<>();
        if (!Shell.isRoot()) {
            missing.add("needs root (network namespaces, veth links, TUN devices and nftables rules): run it as root,"
                    + " e.g. sudo ./weft demo");
        }
        for (String tool : TOOLS) {
            if (onPath(tool).isEmpty()) {
                missing.add(tool + " is not installed (apt-get install iproute2 nftables iputils-ping coreutils procps)");
            }
        }
        return missing;
    }


    static Optional<Path> onPath(String tool) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return Stream.of(path.split(":")).filter(s -> !s.isEmpty()).map(p -> Path.of(p, tool))
                .filter(Files::isExecutable).findFirst();
    }

    /** 4 hex digits that no namespace, interface or UAPI socket of another run uses. */
    private static String freshId() {
        for (int attempt = 0; attempt < 64; attempt++) {
            byte[] b = new byte[2];
            RANDOM.nextBytes(b);
            String candidate = HexFormat.of().formatHex(b);
            String prefix = "wm" + candidate;
            if (!taken(Path.of("/run/netns"), prefix) && !taken(Path.of("/var/run/wireguard"), prefix)
                    && !taken(Path.of("/sys/class/net"), prefix)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free lab id after 64 tries: clean up /run/netns/wm*");
    }

    private static boolean taken(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            return true;
        }
    }

    public String id() {
        return id;
    }

    /** The run's folder (mode 0700): the transcript, the spec, the coordinator's data and log, every node's state dir. */
    public Path dir() {
        return dir;
    }

    public Shell shell() {
        return shell;
    }

    public Options options() {
        return options;
    }

    public Namespace wan() {
        return wan;
    }

    /** Creates namespace {@code wm<id>-<role>} with its loopback up. */
    public synchronized Namespace namespace(String role) {
        ensureOpen();
        Namespace ns = Namespace.create(shell, "wm" + id + "-" + role, role);
        namespaces.add(ns);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /** The WireGuard interface name of node {@code name}: {@code wm<id>} and up to 9 of its letters and digits. */
    synchronized String ifname(String name) {
        String letters = name.replaceAll("[^A-Za-z0-9]", "");
        String base = "wm" + id + letters.substring(0, Math.min(9, letters.length()));
        String candidate = base;
        for (int i = 2; ifnames.contains(candidate); i++) {
            String suffix = Integer.toString(i);
            candidate = base.substring(0, Math.min(base.length(), 15 - suffix.length())) + suffix;
        }
        ifnames.add(candidate);
        return candidate;
    }

    /** A veth from the wan's bridge to {@code ns} ({@code wan0} there) with {@code address}/24. */
    private synchronized void attachToWan(Namespace ns, String address) {
        String port = "p" + nextPort++;
        wan.ip("link", "add", port, "type", "veth", "peer", "name", "wan0", "netns", ns.name());
        wan.ip("link", "set", port, "master", "br0");
        wan.ip("link", "set", port, "up");
        ns.addAddress("wan0", address + "/24");
        ns.ip("link", "set", "wan0", "up");
        onWan.put(ns.role(), address);
    }

    /**
     * The host's veth into the wan: the host holds only {@value #HOST_ADDRESS}/32 and a route to the coordinator's
     * /32, never the wan's /24, since the machine's own traffic may go to other addresses of that range (a proxy).
     */
    private void linkHost() {
        String existing = shell.run(COMMAND_TIMEOUT, List.of("ip", "-4", "-o", "route", "show", COORDINATOR_ADDRESS + "/32"))
                .output().strip()
                + shell.run(COMMAND_TIMEOUT, List.of("ip", "-4", "-o", "address", "show", "to", HOST_ADDRESS + "/32")).output().strip();
        if (!existing.isEmpty()) {
            hostLinkNote = "the host already routes " + COORDINATOR_ADDRESS + " (another lab?), so this run has no host link: "
                    + "reach the coordinator from inside the lab (ip netns exec " + wan.name() + " ...)";
            shell.note(hostLinkNote + "\n" + existing);
            return;
        }
        String host = "wm" + id + "h";
        shell.run(COMMAND_TIMEOUT, List.of("ip", "link", "add", host, "type", "veth", "peer", "name", "host0", "netns",
                wan.name())).check();
        hostLink = host;
        wan.ip("link", "set", "host0", "master", "br0");
        wan.ip("link", "set", "host0", "up");
        shell.run(COMMAND_TIMEOUT, List.of("ip", "address", "add", HOST_ADDRESS + "/32", "dev", host)).check();
        shell.run(COMMAND_TIMEOUT, List.of("ip", "link", "set", host, "up")).check();
        shell.run(COMMAND_TIMEOUT, List.of("ip", "route", "add", COORDINATOR_ADDRESS + "/32", "dev", host, "src", HOST_ADDRESS))
                .check();
        onWan.put("host (" + host + ")", HOST_ADDRESS);
    }

    /** Whether the host has its veth into the wan; {@link #hostLinkNote()} says why not. */
    public boolean hasHostLink() {
        return hostLink != null;
    }

    public String hostLinkNote() {
        return hostLinkNote;
    }

    // --- nodes, NAT'd sites, VPCs -------------------------------------------------------------------------------

    /** A node on the wan (reachable), in its own namespace, with the next address from 203.0.113.20. */
    public synchronized MeshNode publicNode(String name) {
        if (nextPublic >= FIRST_ROUTER_HOST) {
            throw new IllegalStateException("no more public addresses");
        }
        Namespace ns = namespace(name);
        String address = "203.0.113." + nextPublic++;
        attachToWan(ns, address);
        MeshNode node = new MeshNode(this, name, ns, ifname(name), dir.resolve("nodes").resolve(name), address);
        nodes.add(node);
        return node;
    }

    /**
     * A NAT'd site: a router namespace on the wan (next address from 203.0.113.100) with a LAN bridge
     * ({@code 198.51.100.32k/27}, the router at {@code .32k+1}) and nftables masquerade out of its wan side.
     */
    public synchronized NatSite natSite(String name) {
        if (sites.size() >= MAX_SITES) {
            throw new IllegalStateException("at most " + MAX_SITES + " NAT'd sites");
        }
        int index = sites.size();
        Namespace router = namespace(name);
        attachToWan(router, "203.0.113." + nextRouter++);
        int base = 32 * index;
        String lanAddress = "198.51.100." + (base + 1);
        router.ip("link", "add", "lan0", "type", "bridge");
        router.addAddress("lan0", lanAddress + "/27");
        router.ip("link", "set", "lan0", "up");
        router.sysctl("net.ipv4.ip_forward", "1");
        Path rules = dir.resolve(name + ".nft");
        write(rules, """
                table ip weft_lab_nat {
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        oifname "wan0" masquerade
                    }
                }
                """);
        router.execOk("nft", "-f", rules.toString());
        NatSite site = new NatSite(name, router, "198.51.100." + base + "/27", lanAddress, base);
        sites.add(site);
        return site;
    }

    /** A node on {@code site}'s LAN (the next free address of its /27), its default route through the router. */
    public synchronized MeshNode nodeBehind(NatSite site, String name) {
        String address = site.nextAddress();
        Namespace ns = namespace(name);
        String port = "l" + nextPort++;
        site.router().ip("link", "add", port, "type", "veth", "peer", "name", "lan0", "netns", ns.name());
        site.router().ip("link", "set", port, "master", "lan0");
        site.router().ip("link", "set", port, "up");
        ns.addAddress("lan0", address + "/27");
        ns.ip("link", "set", "lan0", "up");
        ns.ip("route", "add", "default", "via", site.routerAddress());
        MeshNode node = new MeshNode(this, name, ns, ifname(name), dir.resolve("nodes").resolve(name), address);
        site.add(node);
        nodes.add(node);
        return node;
    }

    /**
     * A simulated VPC {@code 198.18.N.0/24}: a namespace with a bridge holding {@code 198.18.N.10}, where
     * {@link VpcWorkload} answers HTTP on port 80 (started here, waited for). Gateways join it with
     * {@link Vpc#attach(MeshNode)}.
     */
    public Vpc vpc(String name) {
        Vpc vpc;
        synchronized (this) {
            if (vpcs.size() >= MAX_VPCS) {
                throw new IllegalStateException("at most " + MAX_VPCS + " VPCs");
            }
            int index = vpcs.size();
            Namespace ns = namespace(name);
            String prefix = "198.18." + index + ".";
            ns.ip("link", "add", "br0", "type", "bridge");
            ns.addAddress("br0", prefix + "10/24");
            ns.ip("link", "set", "br0", "up");
            vpc = new Vpc(this, name, ns, prefix + "0/24", prefix + "10");
            vpcs.add(vpc);
        }
        vpc.ns().start(List.of(java(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath().toString(),
                VpcWorkload.class.getName(), vpc.workloadAddress(), "80"), dir.resolve(name + "-workload.log"));
        waitUntil(Duration.ofSeconds(30), "the VPC workload at " + vpc.workloadUrl() + " to answer",
                () -> http(vpc.ns(), vpc.workloadUrl()).ok());
        return vpc;
    }

    /** Attaches {@code gateway} to {@code vpc} with a second veth ({@code vpc0}); returns its VPC address. */
    synchronized String attach(Vpc vpc, MeshNode gateway) {
        String address = vpc.nextGatewayAddress();
        String port = "g" + nextPort++;
        vpc.ns().ip("link", "add", port, "type", "veth", "peer", "name", "vpc0", "netns", gateway.ns().name());
        vpc.ns().ip("link", "set", port, "master", "br0");
        vpc.ns().ip("link", "set", port, "up");
        gateway.ns().addAddress("vpc0", address + "/24");
        gateway.ns().ip("link", "set", "vpc0", "up");
        return address;
    }

    public synchronized List<MeshNode> nodes() {
        return List.copyOf(nodes);
    }

    /** The node called {@code name}. */
    public synchronized MeshNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    // --- the coordinator --------------------------------------------------------------------------------------

    /** Writes the spec the coordinator loads (and reloads when it changes): replaced in one move, never half written. */
    public synchronized Path writeSpec(String yaml) {
        spec = dir.resolve("network.yaml");
        Path tmp = dir.resolve("network.yaml.tmp");
        write(tmp, yaml);
        try {
            Files.move(tmp, spec, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spec;
    }

    public Path specFile() {
        return spec;
    }

    /**
     * Starts {@code ./weft coordinator} in namespace {@code coord} on {@value #COORDINATOR_ADDRESS}:8080 with the
     * spec (written first) and its data in the run's {@code coordinator/}; waits until it is ready and returns
     * how long that took. A stopped coordinator starts again on the same data.
     */
    public Duration startCoordinator(Duration timeout) {
        Instant begin = Instant.now();
        Process started;
        synchronized (this) {
            ensureOpen();
            if (spec == null) {
                throw new IllegalStateException("write the spec first (writeSpec)");
            }
            if (coordinator != null && coordinator.isAlive()) {
                throw new IllegalStateException("the coordinator is already running");
            }
            if (coordinatorNs == null) {
                coordinatorNs = namespace("coord");
                attachToWan(coordinatorNs, COORDINATOR_ADDRESS);
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("WEFT_CLUSTER_NAME", "weft-lab-" + id);
            env.put("WEFT_CLUSTER_BIND", COORDINATOR_ADDRESS);
            env.put("WEFT_CLUSTER_JOIN_WAIT", "0s");
            env.putAll(options.coordinatorEnv());
            coordinator = coordinatorNs.start(List.of(weft(), "coordinator", "--listen", COORDINATOR_ADDRESS + ":"
                    + COORDINATOR_PORT, "--data-dir", coordinatorDataDir().toString(), "--spec", spec.toString()),
                    coordinatorLog(), env);
            started = coordinator;
        }
        Instant deadline = begin.plus(timeout);
        HttpAnswer last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!started.isAlive()) {
                throw new AssertionError("the coordinator exited with " + started.exitValue() + " before it was ready; "
                        + "its log (" + coordinatorLog() + "):\n" + tail(coordinatorLog(), 40));
            }
            last = http(coordinatorNs, coordinatorUrl() + "/q/health/ready");
            if (last.ok()) {
                return Duration.between(begin, Instant.now());
            }
            pause(200);
        }
        throw new AssertionError("the coordinator was not ready within " + timeout + " (last: " + last + "); its log:\n"
                + tail(coordinatorLog(), 40));
    }

    /** SIGTERM to the coordinator, then waits (SIGKILL after {@code timeout}). */
    public synchronized void stopCoordinator(Duration timeout) {
        if (coordinator != null) {
            Shell.kill(coordinator, timeout);
            coordinator = null;
        }
    }

    /** SIGKILL to the coordinator. */
    public synchronized void killCoordinator() {
        if (coordinator != null) {
            Shell.kill(coordinator, Duration.ZERO);
            coordinator = null;
        }
    }

    public synchronized Optional<Long> coordinatorPid() {
        return coordinator != null && coordinator.isAlive() ? Optional.of(coordinator.pid()) : Optional.empty();
    }

    public String coordinatorUrl() {
        return "http://" + COORDINATOR_ADDRESS + ":" + COORDINATOR_PORT;
    }

    /** The dashboard: the coordinator's {@code /}, reachable from the host through its veth. */
    public String dashboardUrl() {
        return coordinatorUrl() + "/";
    }

    public Namespace coordinatorNamespace() {
        return coordinatorNs;
    }

    public Path coordinatorDataDir() {
        return dir.resolve("coordinator");
    }

    public Path coordinatorLog() {
        return dir.resolve("coordinator.log");
    }

    /** Where the coordinator saved its admin credential at first start (mode 0600). */
    public Path adminCredentialFile() {
        return coordinatorDataDir().resolve("admin.credential");
    }

    /** An admin GET to the coordinator from its own namespace; the credential goes from its file to the header. */
    public HttpAnswer adminGet(String path) {
        return http(coordinatorNs, coordinatorUrl() + path, Duration.ofSeconds(5), adminCredentialFile());
    }

    /**
     * A reusable join token for {@code uses} joins, valid for {@code expires} ({@code 1h}), made with
     * {@code ./weft token create}. Its secret never reaches the transcript: the command's output goes to a 0600
     * file that is read and deleted.
     */
    public String createToken(int uses, String expires) {
        Path out = dir.resolve("token.out");
        try {
            Files.deleteIfExists(out);
            Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Shell.Result r = coordinatorNs.execToFile(Duration.ofSeconds(60), List.of(weft(), "token", "create",
                    "--coordinator", coordinatorUrl(), "--credential-file", adminCredentialFile().toString(),
                    "--reusable", "--uses", Integer.toString(uses), "--expires", expires), out);
            if (!r.ok()) {
                throw new AssertionError("./weft token create failed (exit " + r.exit() + "); see " + shell.transcript());
            }
            return Files.readAllLines(out).stream().filter(l -> l.startsWith("token: ")).map(l -> l.substring(7).strip())
                    .findFirst().orElseThrow(() -> new AssertionError("./weft token create printed no 'token: ' line"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException e) {
                // the run's folder is 0700 and removed with the lab
            }
        }
    }

    // --- traffic -----------------------------------------------------------------------------------------------

    /** One echo request from {@code ns} to {@code address}, waiting at most a second; true on a reply. */
    public boolean ping(Namespace ns, String address) {
        return ns.ping(address, 1).ok();
    }

    /**
     * Pings from {@code ns} every 100 ms until the first reply (at most {@code timeout}) and returns when it came.
     * The first packets may wait for a handshake; that is what this times.
     */
    public Instant firstPingReply(Namespace ns, String address, Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        Shell.Result r = ns.exec(timeout.plusSeconds(5), List.of("ping", "-n", "-c", "1", "-i", "0.1", "-w",
                Long.toString(seconds), address));
        Instant at = Instant.now();
        if (!r.ok()) {
            throw new AssertionError("no echo reply from " + address + " in " + ns.name() + " within " + timeout + ":\n"
                    + r.output());
        }
        return at;
    }

    /** {@code GET url} from inside {@code ns}, at most 2 s. */
    public HttpAnswer http(Namespace ns, String url) {
        return http(ns, url, Duration.ofSeconds(2), null);
    }

    /**
     * {@code GET url} (plain http, an IP address) from inside {@code ns} with bash's {@code /dev/tcp}, so neither
     * curl nor a JVM is needed in the namespace and a probe costs milliseconds. With {@code bearerFile}, its
     * content goes into an {@code Authorization: Bearer} header, read there, so it never appears in an argument.
     */
    public HttpAnswer http(Namespace ns, String url, Duration timeout, Path bearerFile) {
        URI uri = URI.create(url);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String script = """
                exec 3<>"/dev/tcp/$1/$2" || exit 7
                auth=""
                if [ -n "$4" ]; then auth="Authorization: Bearer $(cat "$4")"$'\\r\\n'; fi
                printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n%sConnection: close\\r\\n\\r\\n' "$3" "$1" "$auth" >&3
                cat <&3
                """;
        double seconds = timeout.toMillis() / 1000.0;
        Shell.Result r;
        try {
            r = ns.exec(timeout.plusSeconds(5), List.of("timeout", "-k", "1", String.format(java.util.Locale.ROOT, "%.2f", seconds),
                    "bash", "-c", script, "http", uri.getHost(), Integer.toString(port), path,
                    bearerFile == null ? "" : bearerFile.toString()));
        } catch (AssertionError e) {
            return new HttpAnswer(-1, "", e.getMessage());
        }
        String out = r.output();
        if (!out.startsWith("HTTP/")) {
            return new HttpAnswer(-1, "", r.exit() == 124 ? "timed out after " + timeout : "exit " + r.exit() + " " + out.strip());
        }
        String[] statusLine = out.substring(0, Math.max(0, out.indexOf('\n'))).split(" ");
        int split = out.indexOf("\r\n\r\n");
        String body = split < 0 ? "" : out.substring(split + 4);
        try {
            return new HttpAnswer(Integer.parseInt(statusLine[1].strip()), body, null);
        } catch (RuntimeException e) {
            return new HttpAnswer(-1, "", "bad status line: " + out.lines().findFirst().orElse(""));
        }
    }

    /** Asks {@code condition} every 100 ms until it holds; returns how long that took, fails after {@code timeout}. */
    public Duration waitUntil(Duration timeout, String what, BooleanSupplier condition) {
        Instant begin = Instant.now();
        Instant deadline = begin.plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            pause(100);
        }
        return Duration.between(begin, Instant.now());
    }

    /**
     * Starts {@code attempt} every {@code spacing}, without waiting for the ones still running, until one succeeds,
     * and returns when that one finished: for recovery times, where a probe sent into a black hole must not hold
     * back the next. Each attempt must bound its own time. Fails after {@code timeout}.
     */
    public Instant firstSuccess(Duration spacing, Duration timeout, String what, BooleanSupplier attempt) {
        CompletableFuture<Instant> first = new CompletableFuture<>();
        Instant deadline = Instant.now().plus(timeout);
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            while (!first.isDone() && Instant.now().isBefore(deadline)) {
                probes.submit(() -> {
                    if (attempt.getAsBoolean()) {
                        first.complete(Instant.now());
                    }
                    return null;
                });
                try {
                    first.get(spacing.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // the next attempt starts now
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what, e);
                } catch (ExecutionException e) {
                    throw new AssertionError(e.getCause());
                }
            }
        }
        if (!first.isDone()) {
            throw new AssertionError("not within " + timeout + ": " + what);
        }
        return first.join();
    }

    // --- files and reports --------------------------------------------------------------------------------------

    /** The logs worth reading when something failed: the transcript, the coordinator's, every agent's, the workloads'. */
    public List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        logs.add(shell.transcript());
        logs.add(coordinatorLog());
        nodes().forEach(n -> logs.add(n.agentLog()));
        vpcs.forEach(v -> logs.add(dir.resolve(v.name() + "-workload.log")));
        return logs.stream().filter(Files::exists).toList();
    }

    /**
     * The last {@code lines} lines of a file ("" when it does not exist), with secrets masked: the coordinator
     * prints its admin credential once at first start, and tails end up on consoles and in CI logs.
     */
    public static String tail(Path file, int lines) {
        List<String> all = Shell.readQuietly(file).lines().map(MeshLab::redact).toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static String redact(String line) {
        return SECRET.matcher(line).replaceAll("$1(hidden)");
    }

    /** The lab as a diagram: the wan with what hangs off it, NAT'd sites, VPCs and gateways. */
    public synchronized String diagram() {
        StringBuilder sb = new StringBuilder();
        sb.append("  wan ").append(wan.name()).append(": bridge 203.0.113.0/24\n");
        onWan.forEach((role, address) -> {
            sb.append(String.format("   +-- %-22s %s", role, address));
            sites.stream().filter(s -> s.name().equals(role)).findFirst().ifPresent(s -> sb.append("  NAT (masquerade) for LAN ")
                    .append(s.lan()).append(": ").append(String.join(", ", s.nodes().stream()
                            .map(n -> n.name() + " " + n.underlayAddress()).toList())));
            nodes.stream().filter(n -> n.name().equals(role) && n.vpcAddress() != null).findFirst()
                    .ifPresent(n -> sb.append("  + ").append(n.vpc().name()).append(" ").append(n.vpcAddress()));
            sb.append('\n');
        });
        for (Vpc v : vpcs) {
            sb.append("  VPC ").append(v.name()).append(": bridge ").append(v.cidr()).append(", HTTP workload ")
                    .append(v.workloadAddress()).append(":80\n");
        }
        return sb.toString();
    }

    // --- teardown ------------------------------------------------------------------------------------------------

    /**
     * Removes everything the lab made: stops every agent (SIGTERM by the PID it wrote, SIGKILL after 5 s), the
     * coordinator and the workloads, ends any process left in the lab's namespaces, deletes the namespaces and
     * the host's veth, and removes UAPI sockets the agents left. Safe to call from several threads (the JVM's
     * shutdown hook, a Ctrl-C handler): the first does the work, the others return once it is done. The run's
     * folder stays (logs) unless {@link #deleteFilesOnClose(boolean)} asked otherwise; {@link #deleteFiles()}
     * removes it later.
     */
    @Override
    public void close() {
        synchronized (closing) {
            if (!closed) {
                closeOnce();
                closed = true;
            }
        }
    }

    private void closeOnce() {
        closingStarted = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook will call close() too: it waits for this one
            }
        }
        List<Throwable> problems = new CopyOnWriteArrayList<>();
        long begin = System.nanoTime();
        // the agents stop at once, each given its grace: one slow agent must not hold up the others
        try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
            for (MeshNode node : nodes()) {
                stops.submit(() -> attempt(problems, () -> node.stopAgent(STOP_GRACE)));
            }
        }
        shell.note("agents stopped in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
        attempt(problems, () -> stopCoordinator(STOP_GRACE));
        attempt(problems, shell::stopAll);
        List<Namespace> all;
        synchronized (this) {
            all = new ArrayList<>(namespaces);
        }
        for (Namespace ns : all) {
            attempt(problems, () -> ns.pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)));
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Namespace ns = all.get(i);
            attempt(problems, ns::delete);
        }
        if (hostLink != null) {
            attempt(problems, () -> shell.run(COMMAND_TIMEOUT, List.of("ip", "link", "delete", hostLink)));
        }
        for (String ifname : ifnames) {
            attempt(problems, () -> Files.deleteIfExists(Path.of("/var/run/wireguard", ifname + ".sock")));
        }
        if (!problems.isEmpty()) {
            System.err.println("mesh lab " + id + ": cleanup problems: " + problems);
        }
        if (deleteFilesOnClose) {
            attempt(problems, this::deleteFiles);
        }
    }

    /** Whether {@link #close()} also deletes the run's folder (for a run whose logs nobody needs). */
    public void deleteFilesOnClose(boolean delete) {
        deleteFilesOnClose = delete;
    }

    /** Deletes the run's folder (keys, state, logs); call after {@link #close()}. */
    public void deleteFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<Throwable> problems, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            problems.add(e);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** Fails once closing has begun: for everything that would start a process or make a namespace. */
    void ensureOpen() {
        if (closingStarted) {
            throw new IllegalStateException("mesh lab " + id + " is closed");
        }
    }

    /** The repository's {@code ./weft}. */
    String weft() {
        return options.repoRoot().resolve("weft").toString();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where this class was loaded from (a jar or a classes folder): the workload runs from there too. */
    static Path classPath() {
        try {
            return Path.of(MeshLab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
