package net.weft.labs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.weft.labs.mesh.MeshLab;
import net.weft.labs.mesh.MeshNode;
import net.weft.labs.mesh.MeshSpec;
import net.weft.labs.mesh.Vpc;
import net.weft.labs.metrics.DocumentedMetrics.Metric;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 7's metrics test: the README's two metric tables against real scrapes of both endpoints. A real coordinator
 * ({@code ./weft coordinator}) and two real agents ({@code ./weft up --metrics-listen 127.0.0.1:9586}) run in
 * namespaces of a {@link MeshLab}; the gateway serves an on-ramp into a simulated VPC and the member pings it
 * through the mesh, so every kind of series exists (per peer, per on-ramp and gateway). Each table must match its
 * endpoint's {@code weft_*} families exactly: every documented metric exposed with its documented type (from the
 * {@code # TYPE} lines) and label names, and every exposed one documented.
 *
 * <pre>
 *   coord 203.0.113.10:8080 --+-- wan bridge 203.0.113.0/24
 *   gw     203.0.113.20 ------+      gw also on the VPC bridge 198.18.0.0/24 (workload 198.18.0.10:80)
 *   member 203.0.113.21 ------+      both agents: /metrics on 127.0.0.1:9586 in their own namespace
 * </pre>
 *
 * <p>Needs root (fails loudly otherwise, or skips loudly with {@code WEFT_SKIP_ROOT_TESTS=1}) and the packaged
 * coordinator and node of this build ({@code WEFT_BUILD_DIR}). Files go to {@code <labs>/<buildDir>/metrics-lab/}
 * and stay there when the test fails.
 */
class MetricsDocumentationLabTest {

    static final String COORDINATOR_TABLE = "Coordinator (`/q/metrics`)";
    static final String NODE_TABLE = "Node (`/metrics`)";
    private static final String METRICS_LISTEN = "127.0.0.1:9586";
    private static final String ON_RAMP = "metrics-vpc";
    /** How long series may take to appear: a handshake, a probe round and an arbiter step, a housekeeping tick. */
    private static final Duration SETTLE = Duration.ofSeconds(45);

    @BeforeAll
    static void requireRoot() {
        net.weft.labs.mesh.MeshLabs.requireRoot("MetricsDocumentationLabTest");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyDocumentedMetricIsScrapedWithItsTypeAndLabelsAndEveryScrapedOneIsDocumented() throws Exception {
        Map<String, List<Metric>> tables = DocumentedMetrics.read(MetricsDocumentationTest.README);
        List<Metric> coordinatorDoc = tables.get(COORDINATOR_TABLE);
        List<Metric> nodeDoc = tables.get(NODE_TABLE);
        assertThat(coordinatorDoc).as("README table under '### %s'", COORDINATOR_TABLE).isNotNull().isNotEmpty();
        assertThat(nodeDoc).as("README table under '### %s'", NODE_TABLE).isNotNull().isNotEmpty();

        MeshLab.Options options = MeshLab.Options.defaults().withBaseDir(labDir()).withHostLink(false);
        requireJars(options);
        try (MeshLab lab = MeshLab.create(options)) {
            MeshNode gw = lab.publicNode("gw");
            MeshNode member = lab.publicNode("member");
            Vpc vpc = lab.vpc(ON_RAMP);
            vpc.attach(gw);
            lab.writeSpec(MeshSpec.network("metrics", "1s")
                    .withNode("gw", true, "gateway")
                    .withNode("member", true, "member")
                    .withOnRamp(new MeshSpec.OnRampDecl(ON_RAMP, vpc.cidr(), List.of(new MeshSpec.GatewayDecl("gw", 100)),
                            false, List.of(vpc.workloadTarget()), "500ms", 2))
                    .toYaml());
            lab.startCoordinator(Duration.ofSeconds(120));
            String token = lab.createToken(2, "1h");
            up(lab, gw, token);
            up(lab, member, token);
            String gwOverlay = gw.interfaceAddress().orElseThrow(() -> new AssertionError("gw has no overlay address"));
            lab.waitUntil(Duration.ofSeconds(30), "member to ping gw (" + gwOverlay + ") through the mesh",
                    () -> lab.ping(member.ns(), gwOverlay));

            String coordinatorUrl = lab.coordinatorUrl() + "/q/metrics";
            Exposition coordinator = settle(lab, "the coordinator's " + coordinatorUrl, coordinatorDoc,
                    () -> scrape(lab, lab.coordinatorNamespace(), coordinatorUrl),
                    e -> value(e, "weft_onramp_active_gateway", Map.of("onramp", ON_RAMP, "gateway", "gw")) == 1.0);
            assertThat(coordinator.value("weft_onramp_healthy_gateways", Map.of("onramp", ON_RAMP))).isEqualTo(1.0);
            assertThat(coordinator.value("weft_nodes", Map.of("state", "online"))).isEqualTo(2.0);
            assertThat(coordinator.value("weft_joins_total", Map.of("result", "joined"))).isEqualTo(2.0);

            for (MeshNode node : List.of(gw, member)) {
                String url = "http://" + METRICS_LISTEN + "/metrics";
                Exposition scraped = settle(lab, node.name() + "'s " + url + " in " + node.ns().name(), nodeDoc,
                        () -> scrape(lab, node.ns(), url),
                        e -> value(e, "weft_peers", Map.of("interface", node.ifname())) == 1.0
                                && value(e, "weft_node_coordinator_connected", Map.of()) == 1.0);
                Exposition.Family sent = scraped.families().get("weft_peer_sent_bytes_total");
                assertThat(sent.samples()).as("%s's per-peer sent bytes", node.name()).hasSize(1)
                        .allSatisfy(s -> assertThat(s.value()).isPositive());
                assertThat(scraped.value("weft_handshakes_total", Map.of("interface", node.ifname(), "result", "completed")))
                        .as("%s's completed handshakes", node.name()).isGreaterThanOrEqualTo(1.0);
            }
            lab.deleteFilesOnClose(true); // passed: nobody needs the logs
        }
    }

    /** One scrape, or null when the endpoint did not answer 200. */
    private static Exposition scrape(MeshLab lab, Namespace ns, String url) {
        MeshLab.HttpAnswer a = lab.http(ns, url, Duration.ofSeconds(5), null);
        return a.ok() ? Exposition.parse(a.body()) : null;
    }

    /**
     * Scrapes until the scrape agrees with {@code documented} and {@code ready} holds (series appear as peers
     * handshake and gateways report), at most {@link #SETTLE}; fails with the last disagreement and scrape.
     */
    private static Exposition settle(MeshLab lab, String what, List<Metric> documented,
                                     Supplier<Exposition> scrape, Predicate<Exposition> ready) {
        Instant deadline = Instant.now().plus(SETTLE);
        Exposition last = null;
        List<String> mismatches = List.of("no answer");
        while (true) {
            Exposition e = scrape.get();
            if (e != null) {
                last = e;
                mismatches = DocumentedMetrics.mismatches(documented, e);
                if (mismatches.isEmpty() && ready.test(e)) {
                    return e;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                break;
            }
            pause(250);
        }
        throw new AssertionError("within " + SETTLE + ", " + what + " never agreed with the README and showed the lab's"
                + " state.\nDisagreements with the README:\n  " + String.join("\n  ", mismatches)
                + "\nweft_* families scraped last: " + (last == null ? "(none)" : summary(last))
                + "\n--- coordinator log (last 30 lines):\n" + MeshLab.tail(lab.coordinatorLog(), 30));
    }

    private static String summary(Exposition e) {
        List<String> out = new ArrayList<>();
        e.withPrefix("weft_").values().forEach(f -> out.add("\n  " + f.name() + " " + f.type() + " " + f.labels() + " "
                + f.samples().stream().map(s -> s.labels() + "=" + s.value()).toList()));
        return String.join("", out);
    }

    /** The sample's value, NaN when there is no such sample (yet). */
    private static double value(Exposition e, String sample, Map<String, String> labels) {
        try {
            return e.value(sample, labels);
        } catch (AssertionError missing) {
            return Double.NaN;
        }
    }

    /**
     * {@code ./weft up} as {@link MeshNode#up(String)} runs it, with {@code --metrics-listen}: the agent detaches
     * and writes its PID to the state dir, where the lab finds it to stop it.
     */
    private static void up(MeshLab lab, MeshNode node, String token) throws IOException {
        Files.createDirectories(node.stateDir().getParent());
        Shell.Result r = node.ns().exec(Duration.ofSeconds(90), List.of(lab.options().repoRoot().resolve("weft").toString(),
                "up", "--coordinator", lab.coordinatorUrl(), "--name", node.name(), "--state-dir", node.stateDir().toString(),
                "--interface", node.ifname(), "--listen-port", Integer.toString(MeshNode.LISTEN_PORT),
                "--metrics-listen", METRICS_LISTEN), Map.of("WEFT_TOKEN", token));
        if (!r.ok()) {
            throw new AssertionError("./weft up of " + node.name() + " failed (exit " + r.exit() + "):\n" + r.output().strip()
                    + "\n--- " + node.agentLog() + " (last 30 lines):\n" + MeshLab.tail(node.agentLog(), 30));
        }
    }

    private static void requireJars(MeshLab.Options options) {
        for (String jar : List.of("coordinator/" + options.buildDir() + "/quarkus-app/quarkus-run.jar",
                "overlay-node/" + options.buildDir() + "/weft-node.jar")) {
            assertThat(options.repoRoot().resolve(jar)).as("packaged %s (build it first: mvn -Dweft.buildDir=%s -pl "
                    + "coordinator,overlay-node -am package -DskipTests)", jar, options.buildDir()).isRegularFile();
        }
    }

    static Path repoRoot() {
        return MeshLab.Options.defaults().repoRoot();
    }

    /** {@code <labs>/<buildDir>/metrics-lab} (surefire's {@code weft.lab.dir} names the build dir), else the temp dir. */
    private static Path labDir() {
        String wgLab = System.getProperty("weft.lab.dir");
        Path dir = wgLab != null ? Path.of(wgLab).resolveSibling("metrics-lab")
                : Path.of(System.getProperty("java.io.tmpdir"), "weft-metrics-lab");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
