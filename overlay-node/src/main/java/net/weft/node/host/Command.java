package net.weft.node.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's networking tools ({@code ip}, {@code nft}) and reads and writes {@code /proc/sys}
 * files, either on the host itself (no prefix) or through a prefix such as
 * {@code [ip, netns, exec, NS]} so that tests run every command inside a namespace they own.
 *
 * <p>Every program gets its standard input from the caller (or none), and a deadline; a program that
 * exits non-zero or overruns the deadline becomes an {@link IOException} naming the command line and
 * its standard error. Command lines and input here carry addresses and rules, never keys.
 */
public final class Command {

    /** Long enough for {@code ip -batch} with tens of thousands of routes, short enough to end a hang. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** How much of standard error an exception message quotes. */
    private static final int MAX_QUOTED_STDERR = 4000;

    private final List<String> prefix;
    private final Duration timeout;

    private Command(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Commands run directly on the host (production). */
    public static Command host() {
        return new Command(List.of(), DEFAULT_TIMEOUT);
    }

    /** Commands run inside network namespace {@code namespace} through {@code ip netns exec}. */
    public static Command inNamespace(String namespace) {
        return new Command(List.of("ip", "netns", "exec", namespace), DEFAULT_TIMEOUT);
    }

    /** The same prefix with another deadline per program. */
    Command withTimeout(Duration newTimeout) {
        return new Command(prefix, newTimeout);
    }

    /** The words put before every command line: empty on the host. */
    public List<String> prefix() {
        return prefix;
    }

    /** What a finished program left: its exit status and both outputs. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code argv} with {@code stdin} (null for none) and returns what it printed.
     *
     * @throws IOException when it cannot start, exits non-zero or overruns the deadline
     */
    public String run(String stdin, List<String> argv) throws IOException {
        Result r = exec(stdin, argv);
        if (r.exitCode() != 0) {
            throw failure(argv, "exit " + r.exitCode(), r.stderr());
        }
        return r.stdout();
    }

    /** {@link #run(String, List)} without input. */
    public String run(String... argv) throws IOException {
        return run(null, List.of(argv));
    }

    /**
     * Runs {@code argv} with {@code stdin} (null for none) and returns its status, whatever it is.
     *
     * @throws IOException when it cannot start or overruns the deadline
     */
    public Result exec(String stdin, List<String> argv) throws IOException {
        List<String> full = new ArrayList<>(prefix.size() + argv.size());
        full.addAll(prefix);
        full.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(full);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        // the three streams move on their own threads: a program that fills one pipe while we block on
        // another (ip -batch printing errors while reading a long batch) cannot deadlock us
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        Thread feeder = stdin == null ? null : Thread.ofVirtual().start(() -> feed(p.getOutputStream(), stdin));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw failure(argv, "no exit within " + timeout.toMillis() + " ms", err.text(Duration.ofSeconds(1)));
            }
            if (feeder != null) {
                feeder.join(Duration.ofSeconds(5));
            }
            Duration rest = Duration.ofSeconds(5);
            return new Result(p.exitValue(), out.text(rest), err.text(rest));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running `" + String.join(" ", argv) + "`", e);
        }
    }

    /** The contents of a file such as {@code /proc/sys/net/ipv4/ip_forward}, as this command's host sees it. */
    public String readFile(Path file) throws IOException {
        if (prefix.isEmpty()) {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        return run("cat", file.toString());
    }

    /** Writes {@code value} to an existing file such as a sysctl, as this command's host sees it. */
    public void writeFile(Path file, String value) throws IOException {
        if (prefix.isEmpty()) {
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return;
        }
        run(value, List.of("tee", file.toString()));
    }

    private IOException failure(List<String> argv, String how, String stderr) {
        String where = prefix.isEmpty() ? "" : " (in " + String.join(" ", prefix) + ")";
        String quoted = stderr.length() > MAX_QUOTED_STDERR
                ? stderr.substring(0, MAX_QUOTED_STDERR) + "..." : stderr;
        return new IOException("`" + String.join(" ", argv) + "`" + where + " failed, " + how + ": " + quoted.strip());
    }

    private static void feed(OutputStream os, String text) {
        try (os) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the program exited without reading all of it; its status and stderr tell why
        }
    }

    /** Reads one output stream to its end on a virtual thread. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = Thread.ofVirtual().start(() -> {
                try (in) {
                    in.transferTo(bytes);
                } catch (IOException e) {
                    // the stream closed under us (program killed): keep what arrived
                }
            });
        }

        String text(Duration wait) throws InterruptedException {
            thread.join(wait);
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
