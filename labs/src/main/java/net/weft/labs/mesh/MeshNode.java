package net.weft.labs.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Shell;

/**
 * One node of a {@link MeshLab}: its namespace, its WireGuard interface name (unique on the machine, since UAPI
 * sockets are not per namespace), its state dir in the run's folder, and the agent {@code ./weft up} started
 * there. The agent detaches; its PID comes from {@code STATE_DIR/agent.pid}, and signals go to that PID only
 * after checking that it runs in this node's namespace.
 */
public final class MeshNode {

    /** A successful {@code ./weft up}: the node id and overlay IPv4 address, how long the command took, its output. */
    public record Joined(String nodeId, String overlay, Duration took, String output) {
    }

    /** {@code weft: up as NODEID (NAME) 100.64.x.y on IF}; the address may carry a prefix length. */
    private static final Pattern UP = Pattern.compile("up as (\\S+) \\((\\S+)\\) (\\d+\\.\\d+\\.\\d+\\.\\d+)(?:/\\d+)? on (\\S+)");
    private static final Pattern INET = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");
    private static final Pattern PEER_TRANSFER = Pattern.compile("^(\\S+)\\s+(\\d+)\\s+(\\d+)$");
    private static final Pattern PEER_HANDSHAKE = Pattern.compile("^(\\S+)\\s+(\\d+)$");
    public static final int LISTEN_PORT = 51820;

    private final MeshLab lab;
    private final String name;
    private final Namespace ns;
    private final String ifname;
    private final Path stateDir;
    private final String underlayAddress;
    private volatile Long agentPid;
    private volatile String overlay;
    private volatile String nodeId;
    private volatile Vpc vpc;
    private volatile String vpcAddress;

    MeshNode(MeshLab lab, String name, Namespace ns, String ifname, Path stateDir, String underlayAddress) {
        this.lab = lab;
        this.name = name;
        this.ns = ns;
        this.ifname = ifname;
        this.stateDir = stateDir;
        this.underlayAddress = underlayAddress;
    }

    /** The node's name: its {@code --name}, and its id in the spec's {@code Node} documents. */
    public String name() {
        return name;
    }

    public Namespace ns() {
        return ns;
    }

    public String ifname() {
        return ifname;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path agentLog() {
        return stateDir.resolve("agent.log");
    }

    /** Its address on the wan, or on its site's LAN when behind NAT. */
    public String underlayAddress() {
        return underlayAddress;
    }

    /** Its overlay IPv4 address, once {@link #up} succeeded. */
    public String overlay() {
        if (overlay == null) {
            throw new IllegalStateException(name + " has not joined");
        }
        return overlay;
    }

    public String nodeId() {
        return nodeId;
    }

    public Vpc vpc() {
        return vpc;
    }

    /** Its address in its VPC, when it is attached to one (a gateway). */
    public String vpcAddress() {
        return vpcAddress;
    }

    void attachedTo(Vpc v, String address) {
        this.vpc = v;
        this.vpcAddress = address;
    }

    /** {@link #up(String, Duration)} with 90 s. */
    public Joined up(String token) {
        return up(token, Duration.ofSeconds(90));
    }

    /**
     * {@code ./weft up --coordinator URL --name NAME --state-dir DIR --interface IF --listen-port 51820} in this
     * node's namespace, the token in {@code WEFT_TOKEN} (null: none, for a node that already joined). Returns once
     * the command returned 0, which it does when the node joined and its device is up; fails with its output
     * and the agent's log otherwise.
     */
    public Joined up(String token, Duration timeout) {
        lab.ensureOpen();
        try {
            Files.createDirectories(stateDir.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (token != null) {
            env.put("WEFT_TOKEN", token);
        }
        Instant begin = Instant.now();
        Shell.Result r = ns.exec(timeout, List.of(lab.weft(), "up", "--coordinator", lab.coordinatorUrl(), "--name", name,
                "--state-dir", stateDir.toString(), "--interface", ifname, "--listen-port", Integer.toString(LISTEN_PORT)), env);
        Duration took = Duration.between(begin, Instant.now());
        readPid();
        if (!r.ok()) {
            throw new AssertionError("./weft up of " + name + " failed (exit " + r.exit() + "):\n" + r.output().strip()
                    + "\n--- " + agentLog() + " (last 30 lines):\n" + MeshLab.tail(agentLog(), 30));
        }
        Matcher m = UP.matcher(r.output());
        if (m.find()) {
            nodeId = m.group(1);
            overlay = m.group(3);
        } else {
            overlay = interfaceAddress().orElseThrow(() -> new AssertionError("./weft up of " + name
                    + " said nothing like 'up as NODEID (NAME) ADDRESS on IF' and " + ifname + " has no IPv4 address:\n"
                    + r.output()));
        }
        return new Joined(nodeId, overlay, took, r.output());
    }

    private void readPid() {
        Path pidFile = stateDir.resolve("agent.pid");
        try {
            if (Files.isRegularFile(pidFile)) {
                agentPid = Long.parseLong(Files.readString(pidFile).strip());
            }
        } catch (IOException | NumberFormatException e) {
            lab.shell().note("cannot read " + pidFile + ": " + e);
        }
    }

    /** The IPv4 address on this node's WireGuard interface, if it has one. */
    public Optional<String> interfaceAddress() {
        Shell.Result r = ns.exec(MeshLab.COMMAND_TIMEOUT, List.of("ip", "-4", "-o", "address", "show", "dev", ifname));
        Matcher m = INET.matcher(r.output());
        return r.ok() && m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The agent's PID (from its pid file) while it runs in this node's namespace. */
    public Optional<Long> agentPid() {
        Long pid = agentPid;
        if (pid == null) {
            readPid();
            pid = agentPid;
        }
        return pid != null && ours(pid) ? Optional.of(pid) : Optional.empty();
    }

    public boolean agentAlive() {
        return agentPid().isPresent();
    }

    /** Whether {@code pid} is alive and in this node's namespace: only then is it the agent we started. */
    private boolean ours(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Shell.Result r = lab.shell().run(MeshLab.COMMAND_TIMEOUT, List.of("ip", "netns", "identify", Long.toString(pid)));
            return r.ok() && r.output().strip().equals(ns.name());
        }
        return false;
    }

    /** SIGKILL to the agent ({@code kill -9}), then waits (at most 10 s) until it is gone; returns its PID. */
    public long kill() {
        long pid = agentPid().orElseThrow(() -> new IllegalStateException("no agent of " + name + " is running"));
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        lab.shell().note("kill -9 " + pid + " (the agent of " + name + ")");
        handle.destroyForcibly();
        awaitExit(handle, Duration.ofSeconds(10));
        return pid;
    }

    /** SIGTERM to the agent, SIGKILL after {@code grace}; nothing when none runs. */
    void stopAgent(Duration grace) {
        Optional<Long> pid = agentPid();
        if (pid.isEmpty()) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(pid.get()).orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroy();
        if (!awaitExit(handle, grace)) {
            handle.destroyForcibly();
            awaitExit(handle, Duration.ofSeconds(5));
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !handle.isAlive();
        }
    }

    /** {@code ./weft down --state-dir DIR} in this node's namespace. */
    public Shell.Result down() {
        return ns.exec(Duration.ofSeconds(60), List.of(lab.weft(), "down", "--state-dir", stateDir.toString()));
    }

    /** {@code ./weft status --state-dir DIR [--json]} in this node's namespace. */
    public Shell.Result status(boolean json) {
        List<String> argv = new ArrayList<>(List.of(lab.weft(), "status", "--state-dir", stateDir.toString()));
        if (json) {
            argv.add("--json");
        }
        return ns.exec(Duration.ofSeconds(60), argv);
    }

    /** {@code wg show IF public-key}, when {@code wg} is installed and the device answers. */
    public Optional<String> publicKey() {
        if (MeshLab.onPath("wg").isEmpty()) {
            return Optional.empty();
        }
        Shell.Result r = ns.exec(MeshLab.COMMAND_TIMEOUT, List.of("wg", "show", ifname, "public-key"));
        return r.ok() ? Optional.of(r.output().strip()) : Optional.empty();
    }

    /**
     * Bytes received and sent per peer public key ({@code wg show IF transfer}, as {@code long[]{rx, tx}}); empty
     * when {@code wg} is missing or the device does not answer.
     */
    public Map<String, long[]> transfer() {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (MeshLab.onPath("wg").isEmpty()) {
            return out;
        }
        Shell.Result r = ns.exec(MeshLab.COMMAND_TIMEOUT, List.of("wg", "show", ifname, "transfer"));
        if (r.ok()) {
            r.output().lines().map(String::strip).map(PEER_TRANSFER::matcher).filter(Matcher::matches)
                    .forEach(m -> out.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))}));
        }
        return out;
    }

    /**
     * The time of the latest handshake per peer public key ({@code wg show IF latest-handshakes}, epoch seconds,
     * 0 for never); empty when {@code wg} is missing or the device does not answer.
     */
    public Map<String, Long> latestHandshakes() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (MeshLab.onPath("wg").isEmpty()) {
            return out;
        }
        Shell.Result r = ns.exec(MeshLab.COMMAND_TIMEOUT, List.of("wg", "show", ifname, "latest-handshakes"));
        if (r.ok()) {
            r.output().lines().map(String::strip).map(PEER_HANDSHAKE::matcher).filter(Matcher::matches)
                    .forEach(m -> out.put(m.group(1), Long.parseLong(m.group(2))));
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
