package net.weft.labs.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quickstart as a user runs it: {@code ./weft demo --ci} as a process (the real coordinator, real agents in
 * namespaces, real traffic), bounded to {@value #MINUTES} minutes. It must exit 0, print both summary figures, and
 * leave none of its namespaces, links or sockets behind. Its output goes to {@code <labs>/<buildDir>/mesh-lab/}
 * and into the failure message.
 *
 * <p>Needs root (fails loudly otherwise, or skips loudly with {@code WEFT_SKIP_ROOT_TESTS=1}) and the packaged
 * coordinator and node (a full reactor build packages both before the labs are tested).
 */
class QuickstartLabTest {

    static final int MINUTES = 5;
    private static final Pattern JOIN = Pattern.compile("(?m)^\\s*join-to-first-ping: (\\d+\\.\\d\\d) s$");
    private static final Pattern FAILOVER = Pattern.compile("(?m)^\\s*onramp failover: (\\d+\\.\\d\\d) s$");
    private static final Pattern RUN = Pattern.compile("run ([0-9a-f]{4}), files in");

    @BeforeAll
    static void requireRoot() {
        MeshLabs.requireRoot("QuickstartLabTest");
    }

    @Test
    @Timeout(value = MINUTES + 2, unit = TimeUnit.MINUTES)
    void weftDemoCiPassesPrintsBothFiguresAndLeavesNothingBehind() throws Exception {
        MeshLab.Options options = MeshLab.Options.defaults();
        assertThat(Demo.missingJars(options)).as("packaged coordinator and node under %s (build them first: mvn "
                + "-Dweft.buildDir=%s -pl coordinator,overlay-node,labs -am install -DskipTests)", options.repoRoot(),
                options.buildDir()).isEmpty();
        Path log = logFile();
        ProcessBuilder pb = new ProcessBuilder(options.repoRoot().resolve("weft").toString(), "demo", "--ci")
                .directory(options.repoRoot().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("WEFT_BUILD_DIR", options.buildDir());
        Process demo = pb.start();
        boolean finished = demo.waitFor(MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroy(); // SIGTERM: the demo's shutdown hook removes its lab
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
            }
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String shown = "\n--- ./weft demo --ci (" + log + "):\n" + output;

        assertThat(finished).as("./weft demo --ci finished within %d minutes%s", MINUTES, shown).isTrue();
        assertThat(demo.exitValue()).as("./weft demo --ci exit code%s", shown).isZero();
        assertThat(JOIN.matcher(output).find()).as("a 'join-to-first-ping: N.NN s' line%s", shown).isTrue();
        assertThat(FAILOVER.matcher(output).find()).as("an 'onramp failover: N.NN s' line%s", shown).isTrue();

        Matcher run = RUN.matcher(output);
        assertThat(run.find()).as("the demo names its run%s", shown).isTrue();
        String prefix = "wm" + run.group(1);
        assertThat(leftovers(Path.of("/run/netns"), prefix)).as("namespaces of run %s after the demo", prefix).isEmpty();
        assertThat(leftovers(Path.of("/sys/class/net"), prefix)).as("host links of run %s", prefix).isEmpty();
        assertThat(leftovers(Path.of("/var/run/wireguard"), prefix)).as("UAPI sockets of run %s", prefix).isEmpty();
    }

    private static List<String> leftovers(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    /** {@code <labs>/<buildDir>/mesh-lab/quickstart-<time>.log} (surefire's {@code weft.lab.dir} names the build dir). */
    private static Path logFile() throws IOException {
        String wgLab = System.getProperty("weft.lab.dir");
        Path dir = wgLab != null ? Path.of(wgLab).resolveSibling("mesh-lab") : Path.of(System.getProperty("java.io.tmpdir"), "weft-mesh-lab");
        Files.createDirectories(dir);
        return dir.resolve("quickstart-" + System.currentTimeMillis() + ".log");
    }
}
