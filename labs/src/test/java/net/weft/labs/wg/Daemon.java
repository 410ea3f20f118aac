package net.weft.labs.wg;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Poll;
import net.weft.labs.netns.Shell;

/**
 * One userspace WireGuard daemon started by the lab in the foreground:
 * {@code ip netns exec NS env LOG_LEVEL=verbose CMD -f IFNAME}, its output in a log file of the
 * lab. {@code ip netns exec} and {@code env} both exec, so the process the lab holds is the
 * daemon itself (or the launcher script of one, whose children are stopped with it).
 */
final class Daemon {

    /** The UAPI socket folder; one for all namespaces, so interface names are unique per run. */
    static final Path SOCKET_DIR = Path.of("/var/run/wireguard");
    /** Long enough for a JVM daemon to start on a busy 2-vCPU machine; wireguard-go needs ~20 ms. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Impl impl;
    private final Namespace ns;
    private final String ifname;
    private final Process process;
    private final Path log;

    private Daemon(Impl impl, Namespace ns, String ifname, Process process, Path log) {
        this.impl = impl;
        this.ns = ns;
        this.ifname = ifname;
        this.process = process;
        this.log = log;
    }

    /** Starts the daemon and waits until its UAPI socket answers {@code wg show}. */
    static Daemon start(Impl impl, Namespace ns, String ifname, Path log) {
        impl.requireAvailable();
        List<String> argv = new ArrayList<>(List.of("env", "LOG_LEVEL=verbose"));
        argv.addAll(impl.foreground(ifname));
        Daemon daemon = new Daemon(impl, ns, ifname, ns.start(argv, log), log);
        daemon.awaitReady(START_TIMEOUT);
        return daemon;
    }

    static Path socketOf(String ifname) {
        return SOCKET_DIR.resolve(ifname + ".sock");
    }

    Impl impl() {
        return impl;
    }

    String ifname() {
        return ifname;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path socket() {
        return socketOf(ifname);
    }

    Path log() {
        return log;
    }

    /** Sends SIGTERM to the daemon (and to the children of a launcher script). */
    void terminate() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    /** Waits for the daemon to exit and returns its exit code; fails if it is still running at the deadline. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(this + " still runs " + timeout + " later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + this, e);
        }
        return process.exitValue();
    }

    private void awaitReady(Duration timeout) {
        Poll.until(timeout, "the UAPI socket " + socket() + " of " + this + " (log " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new AssertionError(this + " exited with " + process.exitValue() + " before its UAPI socket "
                        + socket() + " appeared; its log:\n" + Shell.readQuietly(log));
            }
            return Files.exists(socket(), LinkOption.NOFOLLOW_LINKS);
        });
        Poll.until(timeout, "`wg show " + ifname + "` answered by " + this,
                () -> ns.exec("wg", "show", ifname), Shell.Result::ok);
    }

    @Override
    public String toString() {
        return impl + " daemon for " + ifname + " in " + ns + " (pid " + process.pid() + ")";
    }
}
