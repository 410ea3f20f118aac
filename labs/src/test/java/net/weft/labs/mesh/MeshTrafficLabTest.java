package net.weft.labs.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.weft.labs.netns.Namespace;
import net.weft.labs.netns.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traffic through relays and the backbone, without a coordinator, and the time a new node takes to carry its
 * first ping (issue 6, "Labs in CI"), in one lab with real agents and a real coordinator:
 *
 * <pre>
 *   coordinator 203.0.113.10
 *   wan 203.0.113.0/24 --+-- r1 .20  relay, region west  --+
 *                        +-- r2 .21  relay, region mid     +-- backbone: r1 -1- r2 -1- r3, and r1 -5- r3
 *                        +-- r3 .22  relay, region east  --+   (least cost r1..r3: 2, through r2)
 *                        +-- nat-a .100 masquerade -- LAN 198.51.100.0/27:  a .2   west: home r1
 *                        +-- nat-b .101 masquerade -- LAN 198.51.100.32/27: b .34  west: home r1
 *                        +-- nat-c .102 masquerade -- LAN 198.51.100.64/27: c .66  east: home r3
 *                        +-- join-1 .. join-5 .23.. (one fresh node per join-latency run)
 * </pre>
 *
 * <p>Per-peer counters are {@code wg show IF transfer} in the node's namespace (the agent's UAPI). The tests
 * share the lab and run in order; the headless one comes last because it stops the coordinator, and it waits
 * for sessions old enough that their rekey (REKEY_AFTER_TIME, 120 s) falls inside its window, so the tests
 * before it shorten that wait.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshTrafficLabTest {

    /** Echo payload: with the IPv4 and ICMP headers, 1028 bytes per packet, far above keepalives (32 bytes). */
    static final int PING_SIZE = 1000;
    static final int PACKET = PING_SIZE + 28;
    static final int PINGS = 20;
    static final Duration PATH_TIMEOUT = Duration.ofSeconds(60);
    static final int JOIN_RUNS = 5;
    /**
     * The join-latency runs must each finish within this. The target is 2 s (a median, JVM start
     * included); it is printed, not asserted: on a shared 2-vCPU CI machine two JVM starts (the command and the
     * agent it detaches) and the other labs' load decide most of it, so an assertion at 2 s would fail on a slow
     * day without a regression. A run above 15 s is a fault, not noise.
     */
    static final Duration JOIN_BOUND = Duration.ofSeconds(15);
    static final Duration HEADLESS = Duration.ofSeconds(60);
    static final int HEADLESS_PINGS_PER_SECOND = 5;
    /**
     * The session ages (s) at which the coordinator may stop: each session then reaches REKEY_AFTER_TIME (120 s)
     * between 2 s and 58 s into the 60 s headless window, so its handshake renews there.
     */
    static final long MIN_AGE = 62;
    static final long MAX_AGE = 118;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MeshLab lab;
    private static MeshNode r1;
    private static MeshNode r2;
    private static MeshNode r3;
    private static MeshNode a;
    private static MeshNode b;
    private static MeshNode c;
    private static String token;
    /** Public keys by node name, read once everyone is up. */
    private static final Map<String, String> keys = new LinkedHashMap<>();

    @RegisterExtension
    static final MeshLabs.LogsOnFailure LOGS = new MeshLabs.LogsOnFailure(() -> lab);

    @BeforeAll
    static void buildTheLab() throws Exception {
        MeshLabs.requireRoot("MeshTrafficLabTest");
        assertThat(MeshLab.onPath("wg")).as("wg (apt-get install wireguard-tools): these labs read per-peer counters"
                + " and handshakes with it").isPresent();
        lab = MeshLab.create(MeshLabs.options(Map.of()));
        r1 = lab.publicNode("r1");
        r2 = lab.publicNode("r2");
        r3 = lab.publicNode("r3");
        a = lab.nodeBehind(lab.natSite("nat-a"), "a");
        b = lab.nodeBehind(lab.natSite("nat-b"), "b");
        c = lab.nodeBehind(lab.natSite("nat-c"), "c");
        lab.writeSpec(MeshSpec.network("traffic", "10s")
                .withNode("r1", true, "relay").withRegion("r1", "west")
                .withNode("r2", true, "relay").withRegion("r2", "mid")
                .withNode("r3", true, "relay").withRegion("r3", "east")
                .withNode("a", false, "member").withRegion("a", "west")
                .withNode("b", false, "member").withRegion("b", "west")
                .withNode("c", false, "member").withRegion("c", "east")
                .withBackboneLink("r1-r2", "r1", "r2", 1)
                .withBackboneLink("r2-r3", "r2", "r3", 1)
                .withBackboneLink("r1-r3", "r1", "r3", 5)
                .toYaml());
        lab.startCoordinator(Duration.ofSeconds(120));
        token = lab.createToken(6 + JOIN_RUNS, "1h");
        upAll(List.of(r1, r2, r3));
        upAll(List.of(a, b, c));
        for (MeshNode n : List.of(r1, r2, r3, a, b, c)) {
            keys.put(n.name(), n.publicKey().orElseThrow(() -> new AssertionError("wg show " + n.ifname() + " public-key"
                    + " answered nothing")));
        }
    }

    /** Joins the nodes at once (each join is two JVM starts, mostly waiting); rethrows the first failure. */
    private static void upAll(List<MeshNode> nodes) throws InterruptedException {
        try (ExecutorService joins = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<MeshNode.Joined>> joined = new ArrayList<>();
            for (MeshNode n : nodes) {
                joined.add(joins.submit(() -> n.up(token)));
            }
            for (Future<MeshNode.Joined> j : joined) {
                try {
                    j.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof AssertionError ae ? ae : new AssertionError(e.getCause());
                }
            }
        }
    }

    @AfterAll
    static void removeTheLab() {
        LOGS.closeLab();
    }

    @Test
    @Order(1)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void natNodesTalkThroughTheirRelayNotDirectly() {
        awaitPing(a, b);
        awaitPing(b, a);
        Map<String, long[]> before = r1.transfer();

        pingAll(a, b, PINGS);
        pingAll(b, a, PINGS);

        Map<String, long[]> after = r1.transfer();
        long carried = 2L * PINGS * PACKET; // each way: the requests of one ping run and the replies of the other
        String table = "r1's counters (wg show " + r1.ifname() + " transfer) before and after:\n" + counters(before, after);
        for (MeshNode n : List.of(a, b)) {
            long[] grew = growth(before, after, n);
            assertThat(grew).as("r1 has a peer entry for %s; %s", n, table).isNotNull();
            assertThat(grew[0]).as("bytes r1 received from %s (at least the %d sent through it); %s", n, carried, table)
                    .isGreaterThanOrEqualTo(carried);
            assertThat(grew[1]).as("bytes r1 sent to %s (at least the %d sent through it); %s", n, carried, table)
                    .isGreaterThanOrEqualTo(carried);
        }
        assertThat(a.transfer()).as("a's peers: none is b (no direct path between NAT'd nodes)").doesNotContainKey(keys.get("b"));
        assertThat(b.transfer()).as("b's peers: none is a").doesNotContainKey(keys.get("a"));
    }

    @Test
    @Order(2)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void backboneTrafficTakesTheLeastCostPathThroughR2BothWays() {
        awaitPing(a, c);
        awaitPing(c, a);
        List<MeshNode> relays = List.of(r1, r2, r3);
        Map<MeshNode, Map<String, long[]>> before = new LinkedHashMap<>();
        relays.forEach(r -> before.put(r, r.transfer()));

        pingAll(a, c, PINGS);
        pingAll(c, a, PINGS);

        Map<MeshNode, Map<String, long[]>> after = new LinkedHashMap<>();
        relays.forEach(r -> after.put(r, r.transfer()));
        long carried = 2L * PINGS * PACKET;
        StringBuilder tables = new StringBuilder("the relays' counters before and after:");
        relays.forEach(r -> tables.append("\n").append(r).append(":\n").append(counters(before.get(r), after.get(r))));

        // a -> r1 -> r2 -> r3 -> c and back: every hop of the path carries all of it in both directions
        for (MeshNode[] hop : new MeshNode[][] {{r2, r1}, {r2, r3}, {r1, r2}, {r3, r2}}) {
            long[] grew = growth(before.get(hop[0]), after.get(hop[0]), hop[1]);
            assertThat(grew).as("%s has a peer entry for %s; %s", hop[0], hop[1], tables).isNotNull();
            assertThat(grew).as("bytes %s received from and sent to %s (each at least the %d carried each way); %s",
                    hop[0], hop[1], carried, tables).satisfies(g -> {
                        assertThat(g[0]).isGreaterThanOrEqualTo(carried);
                        assertThat(g[1]).isGreaterThanOrEqualTo(carried);
                    });
        }
        // the direct r1-r3 link costs 5 > 2: nothing of it goes there (at most keepalives, 32 bytes each)
        for (MeshNode[] pair : new MeshNode[][] {{r1, r3}, {r3, r1}}) {
            long[] grew = growth(before.get(pair[0]), after.get(pair[0]), pair[1]);
            if (grew != null) {
                assertThat(grew[0] + grew[1]).as("bytes %s exchanged with %s over the costlier direct link (less than one"
                        + " %d-byte packet); %s", pair[0], pair[1], PACKET, tables).isLessThan(PACKET);
            }
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFreshNodeRepliesToItsFirstPingWithinFifteenSecondsOfWeftUp() {
        List<Duration> figures = new ArrayList<>();
        for (int run = 1; run <= JOIN_RUNS; run++) {
            MeshNode fresh = lab.publicNode("join-" + run);
            lab.shell().note("join latency run " + run + ": ./weft up of " + fresh + ", then ping r2 " + r2.overlay());
            Instant start = Instant.now();
            fresh.up(token, JOIN_BOUND.multipliedBy(2));
            Instant reply = lab.firstPingReply(fresh.ns(), r2.overlay(), JOIN_BOUND);
            Duration took = Duration.between(start, reply);
            figures.add(took);
            System.out.println("join-to-first-ping run " + run + ": " + MeshLabs.seconds(took) + " s");
            assertThat(took).as("run %d: from starting ./weft up of %s to the first echo reply from r2", run, fresh)
                    .isLessThanOrEqualTo(JOIN_BOUND);
            Shell.Result down = fresh.down(); // its JVM would only load the machine for the tests after this one
            assertThat(down.ok()).as("./weft down of %s: %s", fresh, down).isTrue();
        }
        Path file = MeshLabs.writeFigures("join-latency.tsv", figures);
        System.out.println("join-to-first-ping (s, " + JOIN_RUNS + " runs): " + figures.stream().map(MeshLabs::seconds).toList()
                + ", median " + MeshLabs.seconds(MeshLabs.median(figures)) + " (target 2 s, not asserted) -> " + file);
    }

    @Test
    @Order(4)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void withTheCoordinatorStoppedPingsFlowWithoutLossAndHandshakesRenew() throws Exception {
        // a <-> b runs over the sessions a-r1 and b-r1; make sure both exist
        awaitPing(a, b);
        awaitPing(b, a);
        String r1Key = keys.get("r1");
        // both sessions began when a and b joined, so their ages stay close; an age grows a second per second and
        // drops to 0 at a rekey, so both are in range within MAX_AGE + MIN_AGE seconds
        Instant deadline = Instant.now().plusSeconds(MAX_AGE + MIN_AGE + 30);
        long[] ages = sessionAges(r1Key);
        while (!(ages[0] >= MIN_AGE && ages[1] >= MIN_AGE && ages[0] <= MAX_AGE && ages[1] <= MAX_AGE)) {
            assertThat(Instant.now()).as("the sessions a-r1 and b-r1 to be %d to %d s old, so each renews inside the"
                    + " headless window; they are %d and %d s old", MIN_AGE, MAX_AGE, ages[0], ages[1]).isBefore(deadline);
            MeshLab.pause(1000);
            ages = sessionAges(r1Key);
        }
        long handshakeA = a.latestHandshakes().get(r1Key);
        long handshakeB = b.latestHandshakes().get(r1Key);

        lab.shell().note("headless: the coordinator stops; sessions a-r1 and b-r1 are " + ages[0] + " and " + ages[1] + " s old");
        long stopped = Instant.now().getEpochSecond();
        lab.stopCoordinator(Duration.ofSeconds(10));
        int count = (int) HEADLESS.toSeconds() * HEADLESS_PINGS_PER_SECOND;
        Shell.Result ab;
        Shell.Result ba;
        try (ExecutorService both = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Shell.Result> fromA = both.submit(() -> headlessPings(a, b, count));
            Future<Shell.Result> fromB = both.submit(() -> headlessPings(b, a, count));
            ab = fromA.get();
            ba = fromB.get();
        }
        long renewedA = a.latestHandshakes().getOrDefault(r1Key, 0L);
        long renewedB = b.latestHandshakes().getOrDefault(r1Key, 0L);
        long down = Instant.now().getEpochSecond() - stopped;
        System.out.printf("headless: coordinator down %d s; a->b %d/%d, b->a %d/%d echo replies; handshake a-r1 %d -> %d,"
                + " b-r1 %d -> %d (stopped at %d)%n", down, Namespace.received(ab), count, Namespace.received(ba), count,
                handshakeA, renewedA, handshakeB, renewedB, stopped);

        assertThat(down).as("seconds the coordinator was down").isGreaterThanOrEqualTo(HEADLESS.toSeconds());
        assertThat(Namespace.received(ab)).as("echo replies of %d pings a -> b (%d/s) without a coordinator:\n%s", count,
                HEADLESS_PINGS_PER_SECOND, ab.output()).isEqualTo(count);
        assertThat(Namespace.received(ba)).as("echo replies of %d pings b -> a without a coordinator:\n%s", count,
                ba.output()).isEqualTo(count);
        assertThat(renewedA).as("a's latest handshake with r1 (it was %d, the coordinator stopped at %d)", handshakeA, stopped)
                .isGreaterThanOrEqualTo(stopped).isGreaterThan(handshakeA);
        assertThat(renewedB).as("b's latest handshake with r1 (it was %d, the coordinator stopped at %d)", handshakeB, stopped)
                .isGreaterThanOrEqualTo(stopped).isGreaterThan(handshakeB);

        lab.shell().note("headless: the coordinator starts again");
        lab.startCoordinator(Duration.ofSeconds(120));
        for (MeshNode n : List.of(r1, r2, r3, a, b, c)) {
            String[] last = new String[1];
            try {
                lab.waitUntil(Duration.ofSeconds(60), n + " to follow the coordinator again (weft status: connected)", () -> {
                    last[0] = statusField(n, "connected");
                    return "true".equals(last[0]);
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last status connected=" + last[0] + ":\n" + n.status(false).output(), e);
            }
        }
        awaitPing(a, b);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** Waits until {@code from} gets an echo reply from {@code to}'s overlay address. */
    private static void awaitPing(MeshNode from, MeshNode to) {
        lab.waitUntil(PATH_TIMEOUT, from + " to ping " + to + " (" + to.overlay() + ")", () -> lab.ping(from.ns(), to.overlay()));
    }

    /** Seconds since a's and b's latest handshakes with the peer {@code key} (now, when there was none). */
    private static long[] sessionAges(String key) {
        long now = Instant.now().getEpochSecond();
        return new long[] {now - a.latestHandshakes().getOrDefault(key, 0L), now - b.latestHandshakes().getOrDefault(key, 0L)};
    }

    /** {@code count} pings of {@value #PING_SIZE} bytes from {@code from} to {@code to}, every one answered. */
    private static void pingAll(MeshNode from, MeshNode to, int count) {
        Shell.Result r = from.ns().ping(to.overlay(), count, "-q", "-s", Integer.toString(PING_SIZE));
        assertThat(Namespace.received(r)).as("echo replies to %d pings %s -> %s:\n%s", count, from, to, r.output())
                .isEqualTo(count);
    }

    /** {@code count} pings at {@value #HEADLESS_PINGS_PER_SECOND} per second, each given 2 s for its reply. */
    private static Shell.Result headlessPings(MeshNode from, MeshNode to, int count) {
        return from.ns().exec(HEADLESS.plusSeconds(30), List.of("ping", "-n", "-q", "-c", Integer.toString(count),
                "-i", Double.toString(1.0 / HEADLESS_PINGS_PER_SECOND), "-W", "2", to.overlay()));
    }

    /** How much {@code peer}'s entry grew as {rx, tx}, or null when there is no entry for it afterwards. */
    private static long[] growth(Map<String, long[]> before, Map<String, long[]> after, MeshNode peer) {
        long[] now = after.get(keys.get(peer.name()));
        if (now == null) {
            return null;
        }
        long[] then = before.getOrDefault(keys.get(peer.name()), new long[2]);
        return new long[] {now[0] - then[0], now[1] - then[1]};
    }

    /** A counters table by peer name: rx and tx before, after, and the growth. */
    private static String counters(Map<String, long[]> before, Map<String, long[]> after) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            String name = keys.entrySet().stream().filter(k -> k.getValue().equals(e.getKey())).map(Map.Entry::getKey)
                    .findFirst().orElse(e.getKey().substring(0, 8) + "...");
            long[] then = before.getOrDefault(e.getKey(), new long[2]);
            sb.append(String.format("  %-8s rx %10d -> %10d (+%d)  tx %10d -> %10d (+%d)%n", name, then[0], e.getValue()[0],
                    e.getValue()[0] - then[0], then[1], e.getValue()[1], e.getValue()[1] - then[1]));
        }
        return sb.toString();
    }

    /** A top-level field of {@code ./weft status --json}, as text; null when the command failed. */
    private static String statusField(MeshNode n, String field) {
        Shell.Result r = n.status(true);
        if (!r.ok()) {
            return null;
        }
        try {
            return JSON.readTree(r.output()).path(field).asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
