package net.weft.coordinator.service;

import static net.weft.coordinator.Api.admin;
import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.node;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import org.junit.jupiter.api.Test;

/**
 * An on-ramp with two gateways: health reports move its CIDR between them, in every other node's map, and the
 * preferred gateway takes it back only after the spec's hold-down.
 */
@QuarkusTest
class OnRampTest {

    private static final String CIDR = "198.18.7.0/24";
    private static final Duration HOLD_DOWN = Duration.ofSeconds(3);
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
            """;

    @Test
    void theActiveGatewayFollowsHealthReportsAndARecoveredPrimaryWaitsForTheHoldDown() throws Exception {
        admin().contentType("application/yaml").body(SPEC.getBytes(StandardCharsets.UTF_8)).put("/api/v1/spec")
                .then().statusCode(204);
        JsonPath a = join(token(Map.of()), "ramp-gw-a").then().statusCode(200).extract().jsonPath();
        JsonPath b = join(token(Map.of()), "ramp-gw-b").then().statusCode(200).extract().jsonPath();
        assertThat(a.getString("nodeId")).isEqualTo("ramp-gw-a");
        assertThat(b.getString("nodeId")).isEqualTo("ramp-gw-b");
        String gwA = a.getString("nodeCredential");
        String gwB = b.getString("nodeCredential");
        String watcher = join(token(Map.of()), "ramp-watcher").then().statusCode(200).extract().path("nodeCredential");

        // a gateway is healthy only while online: both beat well within the 2 s test lease
        AtomicBoolean beating = new AtomicBoolean(true);
        Thread beats = Thread.ofVirtual().start(() -> {
            while (beating.get()) {
                node(gwA).post("/api/v1/heartbeat");
                node(gwB).post("/api/v1/heartbeat");
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            // nothing reported: no one serves the on-ramp
            assertThat(holder(watcher)).isNull();

            report(gwA, true);
            report(gwB, true);
            awaitHolder(watcher, "ramp-gw-a");

            report(gwA, false);
            awaitHolder(watcher, "ramp-gw-b");

            long recovered = System.nanoTime();
            report(gwA, true);
            // healthy again, but not for the hold-down yet: the secondary keeps the on-ramp
            Thread.sleep(HOLD_DOWN.toMillis() / 2);
            assertThat(holder(watcher)).isEqualTo("ramp-gw-b");
            awaitHolder(watcher, "ramp-gw-a");
            assertThat(Duration.ofNanos(System.nanoTime() - recovered)).isGreaterThanOrEqualTo(HOLD_DOWN);
        } finally {
            beating.set(false);
            beats.join();
            admin().delete("/api/v1/nodes/ramp-gw-a").then().statusCode(204);
            admin().delete("/api/v1/nodes/ramp-gw-b").then().statusCode(204);
        }
    }

    @Test
    void aNodeReportsOnlyForTheOnRampsItServes() {
        String credential = join(token(Map.of()), "ramp-outsider").then().statusCode(200).extract().path("nodeCredential");
        node(credential).contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 1, "health", List.of(Map.of("protocolVersion", 1, "onRamp", "lab-vpc",
                        "healthy", true, "reportedAtMillis", 1))))
                .post("/api/v1/report").then().statusCode(400).contentType("application/problem+json");
    }

    private static void report(String credential, boolean healthy) {
        node(credential).contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 1, "health", List.of(Map.of("protocolVersion", 1, "onRamp", "lab-vpc",
                        "healthy", healthy, "probes", List.of(), "reportedAtMillis", System.currentTimeMillis()))))
                .post("/api/v1/report").then().statusCode(200);
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
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!gateway.equals(holder(credential))) {
            assertThat(System.nanoTime()).as("%s routes %s within 15 s", gateway, CIDR).isLessThan(end);
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
