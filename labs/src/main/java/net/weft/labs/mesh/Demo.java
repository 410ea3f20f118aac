package net.weft.labs.mesh;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Shell;

/**
 * {@code ./weft demo [--ci]}: the quickstart. In namespaces on this machine it builds a wan, a coordinator, a relay,
 * two sites behind NAT, and a simulated VPC with an HTTP workload behind two gateways; starts the coordinator with a
 * spec file that declares the nodes' roles; creates a token and joins every node with {@code ./weft up}; declares
 * the on-ramp in the spec file (the coordinator reloads it); shows ping and HTTP from a site to the VPC through the
 * mesh and between the NAT'd sites through the relay; kills the primary gateway's agent ({@code kill -9}) and times
 * the on-ramp failover. It prints numbered steps with their times, the dashboard URL
 * and a summary with {@code join-to-first-ping: N.NN s} and {@code onramp failover: N.NN s}.
 *
 * <pre>
 *                       coordinator 203.0.113.10:8080 (dashboard; the host reaches it on 203.0.113.1)
 *                                 |
 *   wan 203.0.113.0/24 --+--------+---------+--------------+--------------+
 *                        |                  |              |              |
 *                      relay              gw-a (200)     gw-b (100)     NAT nat-a / nat-b (masquerade)
 *                                           |              |              |
 *                        demo-vpc 198.18.0.0/24: .2       .3        site-a 198.51.100.2 / site-b 198.51.100.34
 *                        workload 198.18.0.10:80
 * </pre>
 *
 * <p>Without {@code --ci} it keeps the mesh up until Ctrl-C, then removes everything; with {@code --ci} it removes
 * everything at once and exits 0 only when every step passed (it names the ones that did not). Needs root.
 */
public final class Demo {

    static final String ON_RAMP = "demo-vpc";
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(90);
    static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(45);
    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(90);
    /**
     * The coordinator's settings for the demo: a quick sweep, since a dead gateway's health verdicts lapse
     * (interval x (failureThreshold + 1), 1.5 s here) and the sweep that notices adds up to its interval.
     */
    static final Map<String, String> COORDINATOR_ENV = Map.of("WEFT_LEASE_SWEEP_INTERVAL", "250ms");

    private final boolean ci;
    private final PrintStream out;
    private final Instant begin = Instant.now();
    private final List<String> failed = new ArrayList<>();
    private int stepNumber;
    private volatile boolean shuttingDown;
    private Duration joinToFirstPing;
    private Duration failover;

    private MeshLab lab;
    private Vpc vpc;
    private MeshNode relay;
    private MeshNode gwA;
    private MeshNode gwB;
    private MeshNode siteA;
    private MeshNode siteB;
    private String token;

    Demo(boolean ci, PrintStream out) {
        this.ci = ci;
        this.out = out;
    }

    public static void main(String[] args) {
        boolean ci = false;
        for (String a : args) {
            switch (a) {
                case "--ci" -> ci = true;
                case "-h", "--help" -> {
                    System.out.println("usage: ./weft demo [--ci]\n\n  The quickstart: a coordinator, a relay, two sites behind NAT"
                            + " and two gateways into a simulated VPC,\n  in network namespaces on this machine (needs root)."
                            + " --ci: no waiting for Ctrl-C; exit 1 when a step failed.");
                    return;
                }
                default -> {
                    System.err.println("weft demo: unknown option '" + a + "' (usage: ./weft demo [--ci])");
                    System.exit(2);
                }
            }
        }
        List<String> missing = MeshLab.missingPrerequisites();
        if (!missing.isEmpty()) {
            missing.forEach(m -> System.err.println("weft demo: " + m));
            System.exit(1);
        }
        MeshLab.Options options = MeshLab.Options.defaults().withCoordinatorEnv(COORDINATOR_ENV);
        String jars = missingJars(options);
        if (!jars.isEmpty()) {
            System.err.println("weft demo: " + jars + " missing: run ./weft build (./weft demo does that when it starts)");
            System.exit(1);
        }
        System.exit(new Demo(ci, System.out).run(options));
    }

    static String missingJars(MeshLab.Options options) {
        List<String> missing = new ArrayList<>();
        for (String jar : List.of("coordinator/" + options.buildDir() + "/quarkus-app/quarkus-run.jar",
                "overlay-node/" + options.buildDir() + "/weft-node.jar")) {
            if (!Files.isRegularFile(options.repoRoot().resolve(jar))) {
                missing.add(jar);
            }
        }
        return String.join(" and ", missing);
    }

    /** Runs the demo; returns the exit code. */
    int run(MeshLab.Options options) {
        out.println("weft demo: a Weft mesh in network namespaces on this machine" + (ci ? " (--ci)" : ""));
        try {
            lab = MeshLab.create(options.withBaseDir(Path.of(System.getProperty("java.io.tmpdir"), "weft-demo")));
        } catch (RuntimeException e) {
            out.println("weft demo: cannot create the lab: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::onShutdown, "weft-demo-shutdown"));
        out.println("  run " + lab.id() + ", files in " + lab.dir());
        try {
            steps();
        } catch (RuntimeException | AssertionError e) {
            if (shuttingDown) {
                return 130; // Ctrl-C: the shutdown hook removes the lab
            }
            out.println("weft demo: stopped: " + e);
            failed.add("the demo itself: " + e);
        }
        summary();
        boolean ok = failed.isEmpty();
        if (!ci && ok) {
            out.println();
            out.println("The mesh keeps running. Look around, e.g.:");
            out.println("  ip netns exec " + siteA.ns().name() + " ping " + vpc.workloadAddress());
            out.println("  ip netns exec " + siteA.ns().name() + " " + lab.weft() + " status --state-dir " + siteA.stateDir());
            out.println("  ip netns exec " + siteB.ns().name() + " ping " + siteA.overlay() + "   (through the relay)");
            out.println("Press Ctrl-C to remove everything.");
            lab.deleteFilesOnClose(true);
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lab.deleteFilesOnClose(ok);
        shuttingDown = true;
        out.println("weft demo: removing the lab (processes, namespaces, host link)" + (ok ? "" : "; logs stay in " + lab.dir()));
        Instant closing = Instant.now();
        lab.close();
        out.println("weft demo: removed in " + secs(Duration.between(closing, Instant.now())));
        return ok ? 0 : 1;
    }

    /** Ctrl-C (or any other end of the JVM) before {@link #run} removed the lab itself. */
    private void onShutdown() {
        boolean first = !shuttingDown;
        shuttingDown = true;
        if (lab != null) {
            if (first) {
                // stopped from outside (Ctrl-C): everything goes, the run's files too
                lab.deleteFilesOnClose(true);
                out.println("\nweft demo: removing the lab (processes, namespaces, host link, files) ...");
            }
            lab.close(); // returns once the lab is gone, also when run() is closing it right now
            if (first) {
                out.println("weft demo: removed.");
            }
        }
    }

    private void steps() {
        boolean ok = step("Build the network: a wan, two NAT'd sites, a VPC with an HTTP workload", this::network)
                && step("Start the coordinator with a spec that declares the nodes' roles", this::coordinator)
                && step("Create a join token", this::token)
                && step("Join the relay, both gateways and site-b with ./weft up", this::joinOthers)
                && step("Join site-a and time its first ping through the mesh", this::joinSiteA)
                && step("Declare the on-ramp " + ON_RAMP + " in the spec file (the coordinator reloads it)", this::declareOnRamp);
        if (!ok) {
            skip("the mesh did not come up");
            return;
        }
        boolean vpcOk = step("site-a reaches the VPC workload through the mesh (ping and HTTP via gw-a)", this::siteToVpc);
        step("site-b reaches site-a, both behind NAT, through the relay", this::natThroughRelay);
        if (vpcOk) {
            step("Kill gw-a's agent (kill -9) and time until HTTP to the VPC works again via gw-b", this::failover);
        } else {
            skip("failover needs the VPC reachable");
        }
        step("The dashboard", this::dashboard);
    }

    // --- the steps ---------------------------------------------------------------------------------------------

    private void network() {
        relay = lab.publicNode("relay");
        gwA = lab.publicNode("gw-a");
        gwB = lab.publicNode("gw-b");
        NatSite natA = lab.natSite("nat-a");
        NatSite natB = lab.natSite("nat-b");
        siteA = lab.nodeBehind(natA, "site-a");
        siteB = lab.nodeBehind(natB, "site-b");
        vpc = lab.vpc(ON_RAMP);
        vpc.attach(gwA);
        vpc.attach(gwB);
        // the underlay works before any agent runs: a NAT'd site reaches the wan, a gateway reaches the workload
        lab.waitUntil(Duration.ofSeconds(10), "site-a to reach the relay's wan address through its NAT",
                () -> lab.ping(siteA.ns(), relay.underlayAddress()));
        for (MeshNode gw : List.of(gwA, gwB)) {
            MeshLab.HttpAnswer a = lab.http(gw.ns(), vpc.workloadUrl());
            if (!a.ok()) {
                throw new AssertionError(gw.name() + " cannot reach the workload " + vpc.workloadUrl() + ": " + a);
            }
        }
        lab.diagram().lines().forEach(this::say);
        if (!lab.hasHostLink()) {
            say("note: " + lab.hostLinkNote());
        }
    }

    private void coordinator() {
        lab.writeSpec(nodesSpec().toYaml());
        say("spec " + lab.specFile() + ": network demo; relay (relay, reachable), gw-a and gw-b (gateways, reachable),"
                + " site-a and site-b (behind NAT)");
        Duration ready = lab.startCoordinator(Duration.ofSeconds(120));
        say("./weft coordinator ready at " + lab.coordinatorUrl() + " in " + secs(ready));
        awaitSpec("relay");
    }

    /** Waits until the coordinator serves a spec naming {@code name} (it reloads the file when it changes). */
    private void awaitSpec(String name) {
        MeshLab.HttpAnswer[] last = new MeshLab.HttpAnswer[1];
        try {
            lab.waitUntil(Duration.ofSeconds(20), "the coordinator to serve the spec it was given", () -> {
                last[0] = lab.adminGet("/api/v1/spec");
                return last[0].ok() && last[0].body().contains("name: " + name + "\n");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": GET /api/v1/spec -> " + last[0] + "\n"
                    + MeshLab.tail(lab.coordinatorLog(), 30));
        }
        say("spec accepted (GET /api/v1/spec names " + name + ")");
    }

    /** The spec the coordinator starts with: the network and who relays, who is reachable, who may be a gateway. */
    static MeshSpec nodesSpec() {
        return MeshSpec.network("demo", "10s")
                .withNode("relay", true, "relay")
                .withNode("gw-a", true, "gateway")
                .withNode("gw-b", true, "gateway")
                .withNode("site-a", false, "member")
                .withNode("site-b", false, "member");
    }

    /** The whole demo spec: {@link #nodesSpec()} and the on-ramp into the VPC with its gateways and health check. */
    static MeshSpec spec(String vpcCidr, String healthTarget) {
        return nodesSpec().withOnRamp(new MeshSpec.OnRampDecl(ON_RAMP, vpcCidr, List.of(new MeshSpec.GatewayDecl("gw-a", 200),
                new MeshSpec.GatewayDecl("gw-b", 100)), true, List.of(healthTarget), "500ms", 2));
    }

    private void declareOnRamp() {
        lab.writeSpec(spec(vpc.cidr(), vpc.workloadTarget()).toYaml());
        say("added: OnRamp " + ON_RAMP + " " + vpc.cidr() + " via gw-a (priority 200) or gw-b (100), snat, health check "
                + vpc.workloadTarget() + " every 500ms, 2 failures");
        awaitSpec(ON_RAMP);
    }

    private void token() {
        token = lab.createToken(5, "1h");
        say("./weft token create --reusable --uses 5 --expires 1h (the secret goes to each agent in WEFT_TOKEN)");
    }

    private void joinOthers() {
        for (MeshNode node : List.of(relay, gwA, gwB, siteB)) {
            MeshNode.Joined j = node.up(token, JOIN_TIMEOUT);
            say(String.format(Locale.ROOT, "%-7s up as %s %s on %s in %s", node.name(), j.nodeId() == null ? "?" : j.nodeId(),
                    j.overlay(), node.ifname(), secs(j.took())));
        }
    }

    private void joinSiteA() {
        Instant start = Instant.now();
        MeshNode.Joined j = siteA.up(token, JOIN_TIMEOUT);
        say(String.format(Locale.ROOT, "%-7s up as %s %s on %s in %s", siteA.name(), j.nodeId() == null ? "?" : j.nodeId(),
                j.overlay(), siteA.ifname(), secs(j.took())));
        Instant reply = lab.firstPingReply(siteA.ns(), relay.overlay(), Duration.ofSeconds(30));
        joinToFirstPing = Duration.between(start, reply);
        say("first echo reply from the relay (" + relay.overlay() + ") " + secs(joinToFirstPing) + " after ./weft up started");
    }

    private void siteToVpc() {
        lab.waitUntil(TRAFFIC_TIMEOUT, "site-a to ping the workload " + vpc.workloadAddress(),
                () -> lab.ping(siteA.ns(), vpc.workloadAddress()));
        Shell.Result pings = siteA.ns().ping(vpc.workloadAddress(), 3);
        say("ping " + vpc.workloadAddress() + ": " + pingSummary(pings));
        MeshLab.HttpAnswer[] last = new MeshLab.HttpAnswer[1];
        try {
            lab.waitUntil(TRAFFIC_TIMEOUT, "HTTP from site-a to the workload, carried by gw-a", () -> {
                last[0] = lab.http(siteA.ns(), vpc.workloadUrl());
                return last[0].ok() && gwA.vpcAddress().equals(client(last[0]));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0]
                    + (last[0] != null && last[0].ok() ? " (so " + carrier(client(last[0])) + " is the active gateway, not gw-a)" : ""));
        }
        say("GET " + vpc.workloadUrl() + ": " + last[0].status() + " \"" + last[0].body().lines().findFirst().orElse("")
                + "\", client " + client(last[0]) + " = gw-a (SNAT)");
    }

    private void natThroughRelay() {
        lab.waitUntil(TRAFFIC_TIMEOUT, "site-b to ping site-a (" + siteA.overlay() + ")",
                () -> lab.ping(siteB.ns(), siteA.overlay()));
        long before = relayBytes();
        Shell.Result pings = siteB.ns().ping(siteA.overlay(), 5);
        long carried = relayBytes() - before;
        if (Namespace.received(pings) < 4) {
            throw new AssertionError("after a first reply, fewer than 4 of 5 pings from site-b to site-a came back:\n"
                    + pings.output());
        }
        say("ping " + siteA.overlay() + " from site-b: " + pingSummary(pings));
        if (before >= 0) {
            say("the relay's WireGuard counters grew by " + carried + " bytes meanwhile (wg show " + relay.ifname() + " transfer)");
        }
    }

    /** Every byte the relay received from its peers, or -1 without {@code wg}. */
    private long relayBytes() {
        Map<String, long[]> transfer = relay.transfer();
        return transfer.isEmpty() ? -1 : transfer.values().stream().mapToLong(t -> t[0]).sum();
    }

    private void failover() {
        Instant killed = Instant.now();
        long pid = gwA.kill();
        say("kill -9 " + pid + " (gw-a's agent)");
        MeshLab.HttpAnswer[] answer = new MeshLab.HttpAnswer[1];
        Instant back = lab.firstSuccess(Duration.ofMillis(100), FAILOVER_TIMEOUT, "HTTP from site-a to the workload after gw-a died",
                () -> {
                    MeshLab.HttpAnswer a = lab.http(siteA.ns(), vpc.workloadUrl(), Duration.ofMillis(1500), null);
                    if (a.ok()) {
                        answer[0] = a;
                    }
                    return a.ok();
                });
        failover = Duration.between(killed, back);
        String client = client(answer[0]);
        say("GET " + vpc.workloadUrl() + " answered again " + secs(failover) + " after the kill, client " + client + " = "
                + carrier(client));
    }

    private void dashboard() {
        MeshLab.HttpAnswer root = lab.http(lab.coordinatorNamespace(), lab.dashboardUrl());
        say(root.ok() ? "the dashboard answers at " + lab.dashboardUrl()
                : "the coordinator answers " + root.status() + " at / for now (the dashboard arrives with its issue); its API is at "
                        + lab.coordinatorUrl() + "/api/v1 and /q/openapi");
        say(lab.hasHostLink() ? "open " + lab.dashboardUrl() + " in a browser on this machine (the host has 203.0.113.1 on "
                + "wm" + lab.id() + "h)" : lab.hostLinkNote());
    }

    // --- output -----------------------------------------------------------------------------------------------

    private interface Body {
        void run() throws Exception;
    }

    /** Runs one numbered step and prints how it went and how long it took; false when it failed. */
    private boolean step(String title, Body body) {
        int n = ++stepNumber;
        out.printf(Locale.ROOT, "%n[%d] %s   (at %s)%n", n, title, secs(Duration.between(begin, Instant.now())));
        Instant start = Instant.now();
        try {
            body.run();
            out.println("    ok, " + secs(Duration.between(start, Instant.now())));
            return true;
        } catch (Exception | AssertionError e) {
            if (shuttingDown) {
                throw new IllegalStateException("interrupted");
            }
            failed.add("step " + n + " (" + title + ")");
            out.println("    FAILED after " + secs(Duration.between(start, Instant.now())) + ": " + e.getMessage());
            return false;
        }
    }

    private void skip(String why) {
        out.println("\n    (the remaining steps are skipped: " + why + ")");
    }

    private void say(String line) {
        out.println("    " + line);
    }

    private void summary() {
        out.println();
        out.println("summary (run " + lab.id() + ", " + secs(Duration.between(begin, Instant.now())) + ")");
        out.println("  join-to-first-ping: " + (joinToFirstPing == null ? "not measured" : number(joinToFirstPing) + " s"));
        out.println("  onramp failover: " + (failover == null ? "not measured" : number(failover) + " s"));
        out.println("  dashboard: " + lab.dashboardUrl() + (lab.hasHostLink() ? "" : " (inside the lab only)"));
        if (failed.isEmpty()) {
            out.println("  every step passed (" + stepNumber + ")");
        } else {
            failed.forEach(f -> out.println("  FAILED: " + f));
            out.println("  logs:");
            for (Path log : lab.logs()) {
                out.println("  --- " + log + " (last 25 lines)");
                MeshLab.tail(log, 25).lines().forEach(l -> out.println("  | " + l));
            }
        }
    }

    private static String client(MeshLab.HttpAnswer a) {
        return a == null ? "?" : VpcWorkload.clientOf(a.body()).orElse("?");
    }

    private String carrier(String vpcAddress) {
        return List.of(gwA, gwB).stream().filter(g -> vpcAddress.equals(g.vpcAddress())).map(MeshNode::name).findFirst()
                .orElse("not a gateway");
    }

    private static String pingSummary(Shell.Result ping) {
        return ping.output().lines().filter(l -> l.contains("packets transmitted") || l.startsWith("rtt"))
                .map(String::strip).reduce((a, b) -> a + ", " + b).orElse("exit " + ping.exit());
    }

    static String number(Duration d) {
        return String.format(Locale.ROOT, "%.2f", d.toNanos() / 1e9);
    }

    static String secs(Duration d) {
        return number(d) + " s";
    }
}
