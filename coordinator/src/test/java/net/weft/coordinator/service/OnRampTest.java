package net.weft.coordinator.service;

import static net.weft.coordinator.Api.admin;
import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.node;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.weft.coordinator.Api;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * An on-ramp with two gateways: health reports move its CIDR between them, in every other node's map, and the
 * preferred gateway takes it back only after the spec's hold-down. The gateways behave like agents: they beat and
 * report their verdict after every probe round, until a test silences one.
 */
@QuarkusTest
class OnRampTest {

    private static final Logger LOG = Logger.getLogger(OnRampTest.class);

    private static final String CIDR = "198.18.7.0/24";
    private static final Duration HOLD_DOWN = Duration.ofSeconds(3);
    /** The spec's probe interval: gateways report this often. */
    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final int FAILURE_THRESHOLD = 2;
    /** interval x failureThreshold + interval: a verdict not renewed for this long lapses. */
    private static final Duration LAPSE = INTERVAL.multipliedBy(FAILURE_THRESHOLD + 1);
    /** weft.lease.sweep-interval in the test profile: how often lapses are looked for. */
    private static final Duration SWEEP = Duration.ofMillis(200);
    /** Room for the test's own polling (map reads every 50 ms) and a slow request or two. */
    private static final Duration SLACK = Duration.ofMillis(1000);
    private static final String SPEC = """
            apiVersion: weft.dev/v1alpha1
            kind: Network
            metadata:
              name: ramp-net
            spec:
              gatewayHoldDown: 3s
            ---
            apiVersion: weft.dev/v1alpha1
            kind: Node
            metadata:
              name: ramp-gw-a
            spec:
              roles: [gateway, member]
            ---
            apiVersion: weft.dev/v1alpha1
            kind: Node
            metadata:
              name: ramp-gw-b
            spec:
              roles: [gateway, member]
            ---
            apiVersion: weft.dev/v1alpha1
            kind: OnRamp
            metadata:
              name: lab-vpc
            spec:
              provider: generic
              region: lab
              vpc: lab-vpc
              cidrs: [198.18.7.0/24]
              gateways:
                - node: ramp-gw-a
                  priority: 200
                - node: ramp-gw-b
                  priority: 100
              healthCheck:
                interval: 250ms
                failureThreshold: 2
            """;

    @Inject
    ClusterStore store;

    @Test
    void theActiveGatewayFollowsHealthReportsAndARecoveredPrimaryWaitsForTheHoldDown() throws Exception {
        try (Agents agents = new Agents()) {
            String watcher = agents.watcher;
            // nothing reported: no one serves the on-ramp
            assertThat(holder(watcher)).isNull();

            agents.verdict("ramp-gw-a", true);
            agents.verdict("ramp-gw-b", true);
            awaitHolder(watcher, "ramp-gw-a");

            agents.verdict("ramp-gw-a", false);
            awaitHolder(watcher, "ramp-gw-b");

            long recovered = System.nanoTime();
            agents.verdict("ramp-gw-a", true);
            // healthy again, but not for the hold-down yet: the secondary keeps the on-ramp
            Thread.sleep(HOLD_DOWN.toMillis() / 2);
            assertThat(holder(watcher)).isEqualTo("ramp-gw-b");
            awaitHolder(watcher, "ramp-gw-a");
            assertThat(Duration.ofNanos(System.nanoTime() - recovered)).isGreaterThanOrEqualTo(HOLD_DOWN);
        }
    }

    @Test
    void aSilentPrimaryLapsesWithinItsBoundTheStandbyTakesOverAndADeletedGatewayCountsAsUnhealthyAtOnce()
            throws Exception {
        try (Agents agents = new Agents()) {
            String watcher = agents.watcher;
            agents.verdict("ramp-gw-a", true);
            agents.verdict("ramp-gw-b", true);
            awaitHolder(watcher, "ramp-gw-a");

            // steady: verdicts renewed every round raise no version (the three agents' leases are renewed too)
            long steady = Api.awaitSteady(store, 3);
            agents.awaitRounds(8);
            assertThat(Api.version()).as("the version after eight rounds of renewed verdicts").isEqualTo(steady);
            assertThat(holder(watcher)).isEqualTo("ramp-gw-a");

            // the primary's agent dies (it still holds its lease): its verdict lapses and the standby takes over
            long silenced = System.nanoTime();
            agents.silence("ramp-gw-a");
            Duration bound = LAPSE.plus(SWEEP).plus(SLACK);
            awaitHolder(watcher, "ramp-gw-b", bound);
            Duration failover = Duration.ofNanos(System.nanoTime() - silenced);
            LOG.infof("failover after a silent primary: %d ms (lapse %d ms, sweep %d ms)", failover.toMillis(),
                    LAPSE.toMillis(), SWEEP.toMillis());
            assertThat(failover).as("failover").isLessThanOrEqualTo(bound);

            // it comes back: the hold-down still keeps it from taking over at once
            long recovered = System.nanoTime();
            agents.verdict("ramp-gw-a", true);
            Thread.sleep(HOLD_DOWN.toMillis() / 2);
            assertThat(holder(watcher)).isEqualTo("ramp-gw-b");
            awaitHolder(watcher, "ramp-gw-a");
            assertThat(Duration.ofNanos(System.nanoTime() - recovered)).isGreaterThanOrEqualTo(HOLD_DOWN);

            // deleted, the active gateway is out of the on-ramp in the same change: no sweep to wait for
            agents.stop("ramp-gw-a");
            admin().delete("/api/v1/nodes/ramp-gw-a").then().statusCode(204);
            assertThat(holder(watcher)).as("the holder right after the deletion").isEqualTo("ramp-gw-b");

            // offline (its lease ran out), a gateway counts as unhealthy even while its verdicts keep coming
            agents.stopBeating("ramp-gw-b");
            awaitHolder(watcher, null, Duration.ofSeconds(2).plus(SWEEP).plus(SLACK));
        }
    }

    @Test
    void theOnRampGaugesFollowTheActiveGatewayAndTheHealthyCount() throws Exception {
        try (Agents agents = new Agents()) {
            // declared and joined, nothing reported: both gateways show 0, none is healthy
            awaitGauges(0, 0, 0);
            agents.verdict("ramp-gw-a", true);
            agents.verdict("ramp-gw-b", true);
            awaitHolder(agents.watcher, "ramp-gw-a");
            awaitGauges(1, 0, 2);

            agents.verdict("ramp-gw-a", false);
            awaitHolder(agents.watcher, "ramp-gw-b");
            awaitGauges(0, 1, 1);
        }
    }

    /** Waits (bounded) until /q/metrics shows each gateway's active gauge and the on-ramp's healthy count. */
    private static void awaitGauges(int activeA, int activeB, int healthy) throws InterruptedException {
        List<String> want = List.of(
                "weft_onramp_active_gateway{gateway=\"ramp-gw-a\",onramp=\"lab-vpc\"} " + activeA + ".0",
                "weft_onramp_active_gateway{gateway=\"ramp-gw-b\",onramp=\"lab-vpc\"} " + activeB + ".0",
                "weft_onramp_healthy_gateways{onramp=\"lab-vpc\"} " + healthy + ".0");
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = "";
        while (System.nanoTime() < end) {
            text = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
            if (text.lines().toList().containsAll(want)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(text.lines().filter(l -> l.startsWith("weft_onramp_")).toList()).as("the on-ramp gauges").containsAll(want);
    }

    @Test
    void aNodeReportsOnlyForTheOnRampsItServes() {
        String credential = join(token(Map.of()), "ramp-outsider").then().statusCode(200).extract().path("nodeCredential");
        node(credential).contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 1, "health", List.of(Map.of("protocolVersion", 1, "onRamp", "lab-vpc",
                        "healthy", true, "reportedAtMillis", 1))))
                .post("/api/v1/report").then().statusCode(400).contentType("application/problem+json");
    }

    /**
     * The spec, both gateways and a watcher, joined; one virtual thread plays their agents: every {@link #INTERVAL}
     * each beats (the test lease is 2 s) and each gateway with a verdict reports it, as an agent does after every
     * probe round. Closing stops the thread and deletes the gateways.
     */
    private static final class Agents implements AutoCloseable {

        final String watcher;
        /** Credentials by node id. */
        private final Map<String, String> credentials = new ConcurrentHashMap<>();
        /** The verdict each gateway reports, by node id; absent: it reports nothing. */
        private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();
        /** Node ids whose agent beats. */
        private final Set<String> beating = ConcurrentHashMap.newKeySet();
        private final AtomicInteger rounds = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Agents() {
            admin().contentType("application/yaml").body(SPEC.getBytes(StandardCharsets.UTF_8)).put("/api/v1/spec")
                    .then().statusCode(204);
            for (String gw : List.of("ramp-gw-a", "ramp-gw-b")) {
                JsonPath j = join(token(Map.of()), gw).then().statusCode(200).extract().jsonPath();
                assertThat(j.getString("nodeId")).isEqualTo(gw);
                // named by the spec before it joined: its first map already gives it the on-ramp to probe
                assertThat(j.getList("map.self.gateways.onRamp")).as("%s's duties in its join map", gw).containsExactly("lab-vpc");
                assertThat(j.getList("map.self.gateways.targets")).hasSize(1);
                credentials.put(gw, j.getString("nodeCredential"));
                beating.add(gw);
            }
            JsonPath w = join(token(Map.of()), "ramp-watcher").then().statusCode(200).extract().jsonPath();
            watcher = w.getString("nodeCredential");
            credentials.put(w.getString("nodeId"), watcher);
            beating.add(w.getString("nodeId"));
            thread = Thread.ofVirtual().name("ramp-agents").start(this::run);
        }

        private void run() {
            while (running.get()) {
                for (String id : beating) {
                    node(credentials.get(id)).post("/api/v1/heartbeat");
                }
                verdicts.forEach((id, healthy) -> node(credentials.get(id)).contentType(ContentType.JSON)
                        .body(Map.of("protocolVersion", 2, "health", List.of(Map.of("protocolVersion", 2,
                                "onRamp", "lab-vpc", "healthy", healthy, "probes", List.of(),
                                "reportedAtMillis", System.currentTimeMillis()))))
                        .post("/api/v1/report"));
                rounds.incrementAndGet();
                try {
                    Thread.sleep(INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void verdict(String gateway, boolean healthy) {
            verdicts.put(gateway, healthy);
        }

        /** The gateway's agent stops reporting health; it still beats. */
        void silence(String gateway) {
            verdicts.remove(gateway);
        }

        void stopBeating(String id) {
            beating.remove(id);
        }

        /** The node's agent is gone: no beats, no reports. */
        void stop(String id) {
            silence(id);
            stopBeating(id);
        }

        /** Waits (bounded) until {@code n} more rounds of beats and reports are done. */
        void awaitRounds(int n) throws InterruptedException {
            int target = rounds.get() + n;
            long end = System.nanoTime() + INTERVAL.multipliedBy(n).plusSeconds(10).toNanos();
            while (rounds.get() < target) {
                assertThat(System.nanoTime()).as("%d agent rounds", n).isLessThan(end);
                Thread.sleep(INTERVAL.toMillis() / 2);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(Duration.ofSeconds(10));
            for (String gw : List.of("ramp-gw-a", "ramp-gw-b")) {
                admin().delete("/api/v1/nodes/" + gw); // 204, or 404 once a test deleted it
            }
        }
    }

    /** The peer {@code credential}'s map routes the on-ramp's CIDR to, or null. */
    private static String holder(String credential) {
        NetworkMap m = map(credential);
        for (String gw : List.of("ramp-gw-a", "ramp-gw-b")) {
            if (allowed(m, gw).contains(CIDR)) {
                return gw;
            }
        }
        return null;
    }

    private static List<String> allowed(NetworkMap m, String peer) {
        Peer p = m.peer(peer);
        return p == null ? List.of() : p.allowedIps().stream().map(Object::toString).toList();
    }

    private static void awaitHolder(String credential, String gateway) throws InterruptedException {
        awaitHolder(credential, gateway, Duration.ofSeconds(15));
    }

    private static void awaitHolder(String credential, String gateway, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!java.util.Objects.equals(gateway, holder(credential))) {
            assertThat(System.nanoTime()).as("%s routes %s within %s", gateway, CIDR, within).isLessThan(end);
            Thread.sleep(50);
        }
    }

    private static NetworkMap map(String credential) {
        byte[] body = node(credential).get("/api/v1/map").then().statusCode(200).extract().asByteArray();
        try {
            return CanonicalJson.fromBytes(body, NetworkMap.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
