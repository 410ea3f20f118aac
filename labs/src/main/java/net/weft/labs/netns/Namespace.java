package net.weft.labs.netns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network namespace a lab created (named per run, e.g. {@code weft-lab-<run>-<role>}): commands run in it
 * through {@code ip netns exec}, links are configured through {@code ip -n}. Every process in it is the
 * lab's, which is what lets a lab end the daemons that detached ({@code wg-quick}'s, the node agents).
 */
public final class Namespace {

    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern RECEIVED = Pattern.compile("(\\d+) received");

    private final String name;
    private final String role;
    private final Shell shell;

    private Namespace(String name, String role, Shell shell) {
        this.name = name;
        this.role = role;
        this.shell = shell;
    }

    /** Creates the namespace (the lab then brings its loopback up). */
    public static Namespace create(Shell shell, String name, String role) {
        shell.run(COMMAND_TIMEOUT, List.of("ip", "netns", "add", name)).check();
        return new Namespace(name, role, shell);
    }

    public String name() {
        return name;
    }

    /** The short role in the lab's diagram (a, b, nat; wan, coord, site-a). */
    public String role() {
        return role;
    }

    /** Runs a command in this namespace; the result says how it went. */
    public Shell.Result exec(String... argv) {
        return exec(COMMAND_TIMEOUT, List.of(argv));
    }

    public Shell.Result exec(Duration timeout, List<String> argv) {
        return shell.run(timeout, inside(argv));
    }

    /** Runs a command in this namespace with {@code extra} added to its environment (for secrets: see {@link Shell}). */
    public Shell.Result exec(Duration timeout, List<String> argv, Map<String, String> extra) {
        return shell.run(timeout, inside(argv), extra);
    }

    /** Runs a command in this namespace with its stdout only in {@code stdout}, out of the transcript (secrets). */
    public Shell.Result execToFile(Duration timeout, List<String> argv, Path stdout) {
        return shell.run(timeout, inside(argv), null, stdout);
    }

    /** Runs a command in this namespace with its output in {@code log}, which stays (see {@link Shell#runLogged}). */
    public Shell.Result execLogged(Duration timeout, Path log, List<String> argv) {
        return shell.runLogged(timeout, inside(argv), log);
    }

    /** Runs a command in this namespace that must succeed. */
    public Shell.Result execOk(String... argv) {
        return exec(argv).check();
    }

    /** {@code ip -n NAME ARGS}, which must succeed. */
    public Shell.Result ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(Arrays.asList(args));
        return shell.run(COMMAND_TIMEOUT, argv).check();
    }

    /** Adds an address; IPv6 ones with {@code nodad}, so they are usable at once. */
    public void addAddress(String device, String cidr) {
        if (cidr.contains(":")) {
            ip("-6", "address", "add", cidr, "dev", device, "nodad");
        } else {
            ip("address", "add", cidr, "dev", device);
        }
    }

    public void sysctl(String key, String value) {
        execOk("sysctl", "-q", "-w", key + "=" + value);
    }

    /** Starts a background process in this namespace; the lab's shell owns it. */
    public Process start(List<String> argv, Path log) {
        return shell.start(inside(argv), log);
    }

    /** {@link #start(List, Path)} with {@code extra} added to the process's environment. */
    public Process start(List<String> argv, Path log, Map<String, String> extra) {
        return shell.start(inside(argv), log, extra);
    }

    /** {@code ping -c COUNT -i 0.2 -W 1 [OPTIONS] DESTINATION}. */
    public Shell.Result ping(String destination, int count, String... options) {
        List<String> argv = new ArrayList<>(List.of("ping", "-n", "-c", String.valueOf(count), "-i", "0.2", "-W", "1"));
        argv.addAll(Arrays.asList(options));
        argv.add(destination);
        return exec(COMMAND_TIMEOUT, argv);
    }

    /** How many echo replies a ping's summary counts. */
    public static int received(Shell.Result ping) {
        Matcher m = RECEIVED.matcher(ping.output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Pings once at a time until a reply comes (the first packets may wait for a handshake), then
     * asserts that three more all come back.
     */
    public void awaitPing(String destination, Duration timeout, String... options) {
        Poll.until(timeout, "an echo reply from " + destination + " in " + name,
                () -> ping(destination, 1, options), Shell.Result::ok);
        Shell.Result three = ping(destination, 3, options);
        if (received(three) != 3) {
            throw new AssertionError("after a first reply, 3 pings from " + name + " to " + destination
                    + " did not all come back:\n" + three);
        }
    }

    /** The processes in this namespace ({@code ip netns pids}). */
    public List<Long> pids() {
        Shell.Result result = shell.run(COMMAND_TIMEOUT, List.of("ip", "netns", "pids", name));
        if (!result.ok()) {
            return List.of();
        }
        return result.output().lines().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::valueOf).toList();
    }

    /** Deletes the namespace (its interfaces go with it); quiet when it is already gone. */
    public void delete() {
        shell.run(COMMAND_TIMEOUT, List.of("ip", "netns", "delete", name));
    }

    private List<String> inside(List<String> argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(argv);
        return all;
    }

    @Override
    public String toString() {
        return name;
    }
}
