package net.weft.labs.netns;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a lab's commands (ip, wg, ping, iperf3, the daemons and agents) and keeps a transcript of every
 * command with its exit code and output, which the lab prints when it fails. Arguments go into the
 * transcript; secrets go to a command through its environment or a file, never as an argument.
 *
 * <p>Output always goes to a file, never to a pipe: a daemon that detaches (wireguard-go without
 * {@code -f}, started by {@code wg-quick}) keeps its parent's stdout, and a pipe would then not
 * reach end of file before the daemon exits.
 */
public final class Shell {

    /** What a finished command did. */
    public record Result(List<String> argv, int exit, String output) {

        public boolean ok() {
            return exit == 0;
        }

        /** This result when the command succeeded; otherwise an AssertionError that shows it. */
        public Result check() {
            if (!ok()) {
                throw new AssertionError("command failed (exit " + exit + "): " + String.join(" ", argv) + "\n" + output);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", argv) + " -> exit " + exit + (output.isEmpty() ? "" : "\n" + output.strip());
        }
    }

    private static final File DEV_NULL = new File("/dev/null");
    private static final int TRANSCRIPT_OUTPUT_LIMIT = 4000;

    private final Path dir;
    private final Path transcript;
    private final Map<String, String> environment;
    /** Background processes this shell started, stopped by {@link #stopAll()}; guarded by itself. */
    private final List<Process> started = new ArrayList<>();
    private int sequence;

    /**
     * @param dir where command output and background logs go (the lab's own folder)
     * @param environment added to every command's environment
     */
    public Shell(Path dir, Map<String, String> environment) {
        this.dir = dir;
        this.transcript = dir.resolve("transcript.log");
        this.environment = Map.copyOf(environment);
    }

    public Path transcript() {
        return transcript;
    }

    /** Runs a command to its end (at most {@code timeout}); its output is in the result. */
    public Result run(Duration timeout, List<String> argv) {
        return run(timeout, argv, null, null);
    }

    /**
     * Runs a command to its end. With {@code stdin}, the command reads that file; with
     * {@code stdout}, its output goes there (and stays out of the transcript, for keys), otherwise
     * into the result. A command still running at the deadline is killed, with its children, and
     * the run fails.
     */
    public Result run(Duration timeout, List<String> argv, Path stdin, Path stdout) {
        return run(timeout, argv, stdin, stdout, Map.of());
    }

    /**
     * Runs a command to its end with {@code extra} added to its environment: the way to hand a command a
     * secret (a token), since the transcript records every argument but no environment.
     */
    public Result run(Duration timeout, List<String> argv, Map<String, String> extra) {
        return run(timeout, argv, null, null, extra);
    }

    private Result run(Duration timeout, List<String> argv, Path stdin, Path stdout, Map<String, String> extra) {
        Path out = stdout != null ? stdout : dir.resolve("cmd-" + nextSequence() + ".out");
        Result result = await(timeout, argv,
                launch(argv, stdin, out, stdout != null ? Output.SECRET : Output.MERGED, extra), out, stdout != null);
        if (stdout == null) {
            deleteQuietly(out);
        }
        return result;
    }

    /**
     * Runs a command to its end with stdout and stderr in {@code log}, which stays: for commands
     * that leave a detached daemon writing there (wg-quick). The result holds the log as it was
     * when the command ended.
     */
    public Result runLogged(Duration timeout, List<String> argv, Path log) {
        return await(timeout, argv, launch(argv, null, log, Output.MERGED, Map.of()), log, false);
    }

    private Result await(Duration timeout, List<String> argv, Process process, Path out, boolean secret) {
        Instant begin = Instant.now();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process, Duration.ZERO);
                String output = secret ? "(output withheld)" : readQuietly(out);
                note(argv, "TIMEOUT after " + timeout, output);
                throw new AssertionError("command did not finish within " + timeout + ": " + String.join(" ", argv)
                        + "\n" + output);
            }
        } catch (InterruptedException e) {
            kill(process, Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", argv), e);
        }
        String output = secret ? "" : readQuietly(out);
        note(argv, "exit " + process.exitValue() + " in " + Duration.between(begin, Instant.now()).toMillis() + " ms",
                secret ? "(output to " + out.getFileName() + ")" : output);
        return new Result(List.copyOf(argv), process.exitValue(), output);
    }

    /**
     * Starts a command in the background with stdout and stderr in {@code log}. The process is
     * this shell's: {@link #stopAll()} ends it if the test did not.
     */
    public Process start(List<String> argv, Path log) {
        return start(argv, log, Map.of());
    }

    /** {@link #start(List, Path)} with {@code extra} added to the command's environment (never to the transcript). */
    public Process start(List<String> argv, Path log, Map<String, String> extra) {
        Process process = launch(argv, null, log, Output.MERGED, extra);
        synchronized (started) {
            started.add(process);
        }
        note(argv, "started, pid " + process.pid() + ", log " + log.getFileName(), "");
        return process;
    }

    /** Ends every background process this shell started that is still running. */
    public void stopAll() {
        List<Process> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        for (Process process : all) {
            kill(process, Duration.ofSeconds(3));
        }
    }

    /**
     * SIGTERM to the process and its descendants, SIGKILL to whatever still runs after
     * {@code grace}. The descendants are listed first: once their parent is gone they no longer
     * descend from anything of ours.
     */
    public static void kill(Process process, Duration grace) {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.add(process.toHandle());
        family.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(grace);
        for (ProcessHandle handle : family) {
            try {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left > 0) {
                    handle.onExit().get(left, TimeUnit.MILLISECONDS);
                }
            } catch (Exception e) {
                // still running (or we were interrupted): the SIGKILL below settles it
            }
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
    }

    /** Appends a line of the lab's own to the transcript (what a test is about to check, and so on). */
    public void note(String line) {
        append("# " + line + "\n");
    }

    /** Where a command's stderr goes: with its stdout, or (when stdout is a key) into the transcript. */
    private enum Output {
        MERGED, SECRET
    }

    private Process launch(List<String> argv, Path stdin, Path out, Output output, Map<String, String> extra) {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(stdin != null ? stdin.toFile() : DEV_NULL)
                .redirectOutput(out.toFile());
        if (output == Output.SECRET) {
            builder.redirectError(ProcessBuilder.Redirect.appendTo(transcript.toFile()));
        } else {
            builder.redirectErrorStream(true);
        }
        builder.environment().putAll(environment);
        builder.environment().putAll(extra);
        try {
            return builder.start();
        } catch (IOException e) {
            note(argv, "could not start: " + e.getMessage(), "");
            throw new AssertionError("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }

    private synchronized int nextSequence() {
        return ++sequence;
    }

    private void note(List<String> argv, String what, String output) {
        StringBuilder line = new StringBuilder("$ ").append(String.join(" ", argv)).append("  [").append(what).append("]\n");
        String shown = output.length() > TRANSCRIPT_OUTPUT_LIMIT
                ? output.substring(0, TRANSCRIPT_OUTPUT_LIMIT) + "\n... (" + output.length() + " characters)\n"
                : output;
        if (!shown.isBlank()) {
            line.append(shown.endsWith("\n") ? shown : shown + "\n");
        }
        append(line.toString());
    }

    private synchronized void append(String text) {
        try {
            Files.writeString(transcript, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover output file in the lab folder harms nothing
        }
    }

    /** Whether this process runs with effective uid 0 (network namespaces, TUN devices, nftables need it). */
    public static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> line.split("\\s+")[2]) // the effective uid
                    .anyMatch("0"::equals);
        } catch (IOException e) {
            return false;
        }
    }
}
