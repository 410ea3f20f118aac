package net.weft.crypto.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;

/**
 * Debian's wireguard-go in a network namespace of its own, reachable from the test JVM over a
 * veth pair, configured with {@code wg}. Every name carries a random suffix, so runs never meet.
 *
 * <pre>
 *   host namespace (the test JVM)                 namespace weftns-XXXXXX
 *  +-------------------------------+             +------------------------------------------+
 *  | DatagramSocket                |             | wireguard-go -f wfg-XXXXXX               |
 *  |   192.0.2.(4k+1):ephemeral    |    veth     |   UDP 192.0.2.(4k+2):51820               |
 *  | wfh-XXXXXX 192.0.2.(4k+1)/30 ======== wfn-XXXXXX 192.0.2.(4k+2)/30                   |
 *  |                               |             | wfg-XXXXXX (TUN) 100.64.0.2/24           |
 *  | overlay 100.64.0.1: only in   |             |   peer = the test, allowed-ips           |
 *  |   the test's own packets      |             |   100.64.0.1/32, endpoint the socket     |
 *  +-------------------------------+             +------------------------------------------+
 * </pre>
 *
 * <p>The host side gets a /30 that nothing on the host uses yet, not a whole /24: the machine's
 * own uplink may already sit in 192.0.2.0/24 (on the development machines eth0 is 192.0.2.2/24
 * with its default gateway at 192.0.2.1), and claiming those addresses on a veth would cut it off.
 *
 * <p>{@link #close()} stops what the lab started (wireguard-go and pings, by their process ids),
 * deletes the veth pair and the namespace and removes the key files; it runs from a shutdown hook
 * too, should the JVM end before the test's {@code @AfterAll}.
 */
final class WireGuardGoLab implements AutoCloseable {

    static final int LISTEN_PORT = 51820;
    static final String OVERLAY_PREFIX = "100.64.0.2/24";
    /** The test's overlay address: the only allowed IP of the peer the test plays. */
    static final String PEER_ALLOWED_IP = "100.64.0.1/32";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Path SOCKET_DIR = Path.of("/var/run/wireguard");
    private static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");
    private static final Pattern IPV4 = Pattern.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    private final String namespace;
    private final String hostVeth;
    private final String namespaceVeth;
    private final String interfaceName;
    private final Path dir;
    private final Path log;
    private final String ip;
    private final String wg;
    private final String wireguardGo;
    private final String ping;
    private final Thread shutdownHook = new Thread(this::closeQuietly, "wireguard-go-lab-cleanup");
    /** Helper processes (pings) started in the namespace; stopped by {@link #close()}. */
    private final List<Process> helpers = new ArrayList<>();
    private final PrivateKey privateKey;
    private Inet4Address hostAddress;
    private Inet4Address namespaceAddress;
    private Process daemon;
    private PublicKey currentPeer;
    private int files;
    private boolean closed;

    private WireGuardGoLab(SecureRandom random) throws IOException {
        byte[] id = new byte[3];
        random.nextBytes(id);
        String suffix = HexFormat.of().formatHex(id);
        this.namespace = "weftns-" + suffix;
        this.hostVeth = "wfh-" + suffix;
        this.namespaceVeth = "wfn-" + suffix;
        this.interfaceName = "wfg-" + suffix;
        this.ip = executable("ip");
        this.wg = executable("wg");
        this.wireguardGo = executable("wireguard-go");
        this.ping = executable("ping");
        this.dir = Files.createTempDirectory("weft-interop-" + suffix + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.log = dir.resolve("wireguard-go.log");
        this.privateKey = PrivateKey.generate(random);
    }

    // ---- prerequisites ---------------------------------------------------------------------------

    /**
     * What keeps this machine from running the lab: not root, or a tool missing. Empty when the
     * lab can start.
     */
    static List<String> missingPrerequisites() {
        List<String> missing = new ArrayList<>();
        long uid = effectiveUid();
        if (uid != 0) {
            missing.add("not running as root (effective uid " + uid + "): network namespaces need root");
        }
        for (String tool : List.of("wireguard-go", "wg", "ip", "ping")) {
            if (executable(tool) == null) {
                missing.add(tool + " not found on PATH or in " + SEARCH_PATH
                        + " (Debian packages wireguard-go, wireguard-tools, iproute2, iputils-ping)");
            }
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun does not exist: wireguard-go cannot create its interface");
        }
        return missing;
    }

    private static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String executable(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SEARCH_PATH);
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    // ---- start ---------------------------------------------------------------------------------------

    /** Builds the topology above and starts wireguard-go with its key and listen port, no peer yet. */
    static WireGuardGoLab start(SecureRandom random) throws IOException {
        WireGuardGoLab lab = new WireGuardGoLab(random);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.setUp(random);
            return lab;
        } catch (IOException | RuntimeException | Error e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void setUp(SecureRandom random) throws IOException {
        run(ip, "netns", "add", namespace);
        run(ip, "link", "add", hostVeth, "type", "veth", "peer", "name", namespaceVeth);
        run(ip, "link", "set", namespaceVeth, "netns", namespace);
        // another run may have picked the same /30 at the same moment: then pick again
        for (int attempt = 1; ; attempt++) {
            int block = freeSlash30(random);
            hostAddress = ipv4(192, 0, 2, block + 1);
            namespaceAddress = ipv4(192, 0, 2, block + 2);
            run(ip, "addr", "add", hostAddress.getHostAddress() + "/30", "dev", hostVeth);
            if (aloneIn(block)) {
                break;
            }
            run(ip, "addr", "del", hostAddress.getHostAddress() + "/30", "dev", hostVeth);
            if (attempt == 5) {
                throw new IllegalStateException("found no /30 in 192.0.2.0/24 that no other interface uses");
            }
        }
        run(ip, "link", "set", hostVeth, "up");
        run(ip, "-n", namespace, "link", "set", "lo", "up");
        run(ip, "-n", namespace, "addr", "add", namespaceAddress.getHostAddress() + "/30", "dev", namespaceVeth);
        run(ip, "-n", namespace, "link", "set", namespaceVeth, "up");

        // -f keeps wireguard-go in the foreground, so the process we hold is the daemon itself
        // (ip netns exec execs its command without forking) and we stop it by that id
        ProcessBuilder pb = new ProcessBuilder(ip, "netns", "exec", namespace, wireguardGo, "-f", interfaceName)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("LOG_LEVEL", "verbose");
        daemon = pb.start();
        Path socket = SOCKET_DIR.resolve(interfaceName + ".sock");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(socket)) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("wireguard-go exited with " + daemon.exitValue()
                        + " before its UAPI socket " + socket + " appeared; its output:\n" + daemonLog());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("wireguard-go's UAPI socket " + socket + " did not appear within "
                        + START_TIMEOUT + "; its output:\n" + daemonLog());
            }
            pause(Duration.ofMillis(20));
        }

        Path keyFile = secretFile("private", privateKey.toBase64());
        wg("set", interfaceName, "private-key", keyFile.toString(), "listen-port", Integer.toString(LISTEN_PORT));
        run(ip, "-n", namespace, "addr", "add", OVERLAY_PREFIX, "dev", interfaceName);
        run(ip, "-n", namespace, "link", "set", interfaceName, "up");
    }

    /**
     * A /30 in 192.0.2.0/24 (from .64 on) none of whose addresses appears in the host's addresses,
     * routes or neighbours; returns its first address's last octet.
     */
    private int freeSlash30(SecureRandom random) {
        String seen = run(ip, "-4", "-o", "addr", "show") + run(ip, "-4", "route", "show", "table", "all")
                + run(ip, "-4", "neigh", "show");
        boolean[] used = new boolean[64];
        Matcher m = IPV4.matcher(seen);
        while (m.find()) {
            if (m.group(1).equals("192") && m.group(2).equals("0") && m.group(3).equals("2")) {
                used[Integer.parseInt(m.group(4)) / 4 & 63] = true;
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int b = 16; b < 63; b++) {
            if (!used[b]) {
                free.add(b * 4);
            }
        }
        if (free.isEmpty()) {
            throw new IllegalStateException("no free /30 left in 192.0.2.64/26 on this host:\n" + seen);
        }
        return free.get(random.nextInt(free.size()));
    }

    /** True when no interface but our host veth has an address in the /30 at {@code block}. */
    private boolean aloneIn(int block) {
        for (String line : run(ip, "-4", "-o", "addr", "show").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || f[1].equals(hostVeth)) {
                continue;
            }
            Matcher m = IPV4.matcher(f[3]);
            if (m.lookingAt() && m.group(1).equals("192") && m.group(2).equals("0") && m.group(3).equals("2")
                    && Integer.parseInt(m.group(4)) / 4 == block / 4) {
                return false;
            }
        }
        return true;
    }

    // ---- what the test asks for ------------------------------------------------------------------

    /** The host end of the veth pair, where the test's UDP socket binds. */
    Inet4Address hostAddress() {
        return hostAddress;
    }

    /** Where wireguard-go listens. */
    InetSocketAddress endpoint() {
        return new InetSocketAddress(namespaceAddress, LISTEN_PORT);
    }

    String interfaceName() {
        return interfaceName;
    }

    /** wireguard-go's public key as we derive it from the private key we gave it. */
    PublicKey publicKey() {
        return privateKey.publicKey();
    }

    /**
     * Makes {@code peer} wireguard-go's only peer: allowed IP {@link #PEER_ALLOWED_IP}, endpoint
     * {@code endpoint}, preshared key {@code psk} ({@code null}: none). The previous peer is
     * removed, with its sessions and handshake state.
     */
    void replacePeer(PublicKey peer, PresharedKey psk, InetSocketAddress endpoint) throws IOException {
        List<String> args = new ArrayList<>(List.of("set", interfaceName));
        if (currentPeer != null) {
            args.addAll(List.of("peer", currentPeer.toBase64(), "remove"));
        }
        args.addAll(List.of("peer", peer.toBase64(), "allowed-ips", PEER_ALLOWED_IP,
                "endpoint", endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort()));
        if (psk != null) {
            args.addAll(List.of("preshared-key", secretFile("psk", psk.toBase64()).toString()));
        }
        wg(args.toArray(String[]::new));
        currentPeer = peer;
    }

    /** Runs {@code wg ARGS} inside the namespace and returns its output. */
    String wg(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ip, "netns", "exec", namespace, wg));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** Starts {@code ping -c 1 -W waitSeconds target} in the namespace; {@link #close()} stops it if need be. */
    Process startPing(String target, int waitSeconds) throws IOException {
        Process p = new ProcessBuilder(ip, "netns", "exec", namespace, ping, "-n", "-c", "1", "-W",
                Integer.toString(waitSeconds), target)
                .redirectErrorStream(true)
                .start();
        helpers.add(p);
        return p;
    }

    /** wireguard-go's output so far (verbose log), for failure messages. */
    String daemonLog() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    // ---- cleanup -----------------------------------------------------------------------------------

    /**
     * Stops every process the lab started, deletes the veth pair and the namespace, removes the
     * key files. Runs every step even when one fails, then reports the failures.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // we are the shutdown hook
        }
        List<String> failures = new ArrayList<>();
        for (Process p : helpers) {
            stop(p.toHandle(), failures);
        }
        if (daemon != null) {
            stop(daemon.toHandle(), failures);
        }
        // anything still in our namespace was started by us (the namespace is new and ours)
        if (exists(ip, "netns", "pids", namespace)) {
            for (String pid : quiet(ip, "netns", "pids", namespace).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(h -> stop(h, failures));
                }
            }
        }
        if (exists(ip, "link", "show", hostVeth)) {
            tryRun(failures, ip, "link", "del", hostVeth);
        }
        if (exists(ip, "netns", "pids", namespace)) {
            tryRun(failures, ip, "netns", "del", namespace);
        }
        try {
            Files.deleteIfExists(SOCKET_DIR.resolve(interfaceName + ".sock"));
            Files.deleteIfExists(SOCKET_DIR.resolve(interfaceName + ".name"));
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            failures.add("removing " + dir + ": " + e);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("wireguard-go lab " + namespace + " not fully cleaned up: " + failures);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
        }
    }

    private static void stop(ProcessHandle h, List<String> failures) {
        if (!h.isAlive()) {
            return;
        }
        h.destroy();
        try {
            h.onExit().get(3, TimeUnit.SECONDS);
            return;
        } catch (Exception e) {
            // not gone after SIGTERM: kill it
        }
        h.destroyForcibly();
        try {
            h.onExit().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            failures.add("process " + h.pid() + " did not exit: " + e);
        }
    }

    // ---- commands ----------------------------------------------------------------------------------

    private Path secretFile(String name, String content) throws IOException {
        Path f = dir.resolve(name + "-" + files++);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, content + "\n", StandardCharsets.US_ASCII);
        return f;
    }

    /** Runs a command, waits for it, returns its output; throws with that output when it fails. */
    private static String run(String... cmd) {
        Result r = execute(cmd);
        if (r.exitCode != 0) {
            throw new IllegalStateException("`" + String.join(" ", cmd) + "` exited with " + r.exitCode + ": " + r.output);
        }
        return r.output;
    }

    private static void tryRun(List<String> failures, String... cmd) {
        try {
            run(cmd);
        } catch (RuntimeException e) {
            failures.add(e.getMessage());
        }
    }

    private static boolean exists(String... cmd) {
        try {
            return execute(cmd).exitCode == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String quiet(String... cmd) {
        try {
            return execute(cmd).output;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result execute(String... cmd) {
        Path out = null;
        try {
            out = Files.createTempFile("weft-interop-cmd-", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", cmd) + "` did not finish within " + COMMAND_TIMEOUT);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind in /tmp is not worth failing for
                }
            }
        }
    }

    private static Inet4Address ipv4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "WireGuardGoLab(" + namespace + ", " + interfaceName + ")";
    }
}
