package net.weft.labs.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * What the mesh lab tests share: the root check, where a test's lab and figures go, figures as TSV, and the
 * log tails that every failure carries ({@link LogsOnFailure}).
 */
public final class MeshLabs {

    private MeshLabs() {
    }

    /**
     * Fails loudly unless this JVM can run a mesh lab (root, iproute2, nftables, ping); with
     * {@code WEFT_SKIP_ROOT_TESTS=1} it skips instead, just as loudly.
     */
    public static void requireRoot(String lab) {
        requireLab(lab, List.of());
    }

    /** {@link #requireRoot} when the lab also needs what {@code alsoMissing} says is missing. */
    public static void requireLab(String lab, List<String> alsoMissing) {
        List<String> missing = new java.util.ArrayList<>(MeshLab.missingPrerequisites());
        missing.addAll(alsoMissing);
        requireNothingMissing(lab, missing, "Run the tests as root");
    }

    /**
     * Returns when {@code missing} is empty. Otherwise fails loudly, naming what is missing and {@code remedy};
     * with {@code WEFT_SKIP_ROOT_TESTS=1} it skips instead, just as loudly.
     */
    public static void requireNothingMissing(String lab, List<String> missing, String remedy) {
        if (missing.isEmpty()) {
            return;
        }
        String why = lab + " cannot run here: " + String.join("; ", missing);
        if ("1".equals(System.getenv("WEFT_SKIP_ROOT_TESTS"))) {
            System.err.println("\n!!!!!! SKIPPING " + lab + " (WEFT_SKIP_ROOT_TESTS=1): " + why + "\n");
            Assumptions.abort("WEFT_SKIP_ROOT_TESTS=1, so skipped: " + why);
        }
        throw new AssertionError("\n!!!!!! " + why + ".\n" + remedy + ", or set WEFT_SKIP_ROOT_TESTS=1 to skip"
                + " the labs deliberately.\n");
    }

    /**
     * The options of a test's lab: the build's jars ({@code WEFT_BUILD_DIR}, which the labs' surefire sets from
     * {@code -Dweft.buildDir}), the run's folder under {@code labs/<buildDir>/mesh-lab}, and no host link (a test
     * needs no browser, and parallel runs would fight over 203.0.113.1).
     */
    static MeshLab.Options options(Map<String, String> coordinatorEnv) {
        MeshLab.Options defaults = MeshLab.Options.defaults();
        if (!Demo.missingJars(defaults).isEmpty()) {
            throw new AssertionError("missing " + Demo.missingJars(defaults) + " under " + defaults.repoRoot()
                    + ": build them first (mvn -Dweft.buildDir=" + defaults.buildDir()
                    + " -pl coordinator,overlay-node,labs -am install -DskipTests)");
        }
        return defaults.withBaseDir(buildDir(defaults).resolve("mesh-lab")).withHostLink(false)
                .withCoordinatorEnv(coordinatorEnv);
    }

    /** {@code labs/<buildDir>}: beside surefire's {@code weft.lab.dir} when it is set. */
    private static Path buildDir(MeshLab.Options options) {
        String wgLab = System.getProperty("weft.lab.dir");
        return wgLab != null ? Path.of(wgLab).getParent() : options.repoRoot().resolve("labs").resolve(options.buildDir());
    }

    /** Writes one figure per line (seconds, two decimals) to {@code labs/<buildDir>/mesh-figures/NAME}; returns the file. */
    static Path writeFigures(String name, List<Duration> figures) {
        Path dir = buildDir(MeshLab.Options.defaults()).resolve("mesh-figures");
        Path file = dir.resolve(name);
        StringBuilder text = new StringBuilder();
        figures.forEach(f -> text.append(seconds(f)).append('\n'));
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    static Duration median(List<Duration> figures) {
        List<Duration> sorted = new ArrayList<>(figures);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    /** {@code 1.23}: seconds with two decimals. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f", d.toNanos() / 1e9);
    }

    /** The last lines of the transcript, the coordinator's log and every agent's log, secrets masked. */
    static String logTails(MeshLab lab) {
        StringBuilder sb = new StringBuilder("\n=== logs of mesh lab " + lab.id() + " (" + lab.dir() + ")");
        for (Path log : lab.logs()) {
            int lines = log.equals(lab.coordinatorLog()) || log.equals(lab.shell().transcript()) ? 40 : 25;
            sb.append("\n--- ").append(log).append(" (last ").append(lines).append(" lines):\n")
                    .append(MeshLab.tail(log, lines));
        }
        return sb.toString();
    }

    /**
     * Adds the lab's log tails ({@link #logTails}) to whatever fails in a test or in the class's set-up, so the
     * report says what the agents and the coordinator saw; remembers that something failed, so the lab's folder
     * stays for a look.
     */
    static final class LogsOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

        private final Supplier<MeshLab> lab;
        private volatile boolean failed;

        LogsOnFailure(Supplier<MeshLab> lab) {
            this.lab = lab;
        }

        /**
         * Whether the lab's folder (logs, transcript, state dirs) should stay after the class: when something failed,
         * or when {@code -Dweft.lab.keep=true} asks for it.
         */
        boolean keepFiles() {
            return failed || Boolean.getBoolean("weft.lab.keep");
        }

        /** Closes the lab, if one was made, keeping its folder when {@link #keepFiles()} says so. */
        void closeLab() {
            MeshLab current = lab.get();
            if (current != null) {
                current.deleteFilesOnClose(!keepFiles());
                current.close();
            }
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
            throw withLogs(t);
        }

        @Override
        public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
            throw withLogs(t);
        }

        @Override
        public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
            throw withLogs(t);
        }

        private Throwable withLogs(Throwable t) {
            if (t instanceof TestAbortedException) {
                return t;
            }
            failed = true;
            MeshLab current = lab.get();
            if (current == null) {
                return t;
            }
            String logs;
            try {
                logs = logTails(current);
            } catch (RuntimeException e) {
                logs = "\n(cannot read the lab's logs: " + e + ")";
            }
            return new AssertionError(t.getMessage() + logs, t);
        }
    }
}
