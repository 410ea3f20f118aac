package net.weft.coordinator.service;

import static net.weft.coordinator.Api.admin;
import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.node;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.wire.MapUpdate;
import org.junit.jupiter.api.Test;

/** Heartbeat leases under the %test settings: a 2 s lease, swept every 200 ms. */
@QuarkusTest
class LeaseTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URL base;

    @Test
    void aNodeWhoseLeaseRunsOutGoesOfflineAndAHeartbeatBringsItBack() throws Exception {
        JsonPath j = join(token(Map.of()), "lease-lapse").then().statusCode(200).extract().jsonPath();
        String id = j.getString("nodeId");
        assertThat(online(id)).as("online right after the join").isTrue();

        long start = System.nanoTime();
        awaitTrue(() -> !online(id), "node goes offline");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        node(j.getString("nodeCredential")).post("/api/v1/heartbeat").then().statusCode(200);
        assertThat(online(id)).as("online again after a heartbeat").isTrue();
        admin().delete("/api/v1/nodes/" + id).then().statusCode(204);
    }

    @Test
    void anEphemeralNodeIsDeletedWhenItsLeaseRunsOutAndTheOtherMapsLoseIt() throws Exception {
        String watcher = join(token(Map.of()), "lease-watcher").then().statusCode(200).extract().path("nodeCredential");
        try (MapStreamReader stream = new MapStreamReader(base, watcher)) {
            MapUpdate full = stream.next(10);
            assertThat(full.full()).isNotNull();
            String eph = join(token(Map.of("ephemeral", true)), "lease-ephemeral").then().statusCode(200).extract().path("nodeId");
            NetworkMap map = full.full();
            // the join, then the deletion when the ephemeral node's lease runs out; offline members change no map
            map = stream.next(10).applyTo(map);
            assertThat(map.peer(eph)).isNotNull();
            MapUpdate deletion = stream.next(10);
            assertThat(deletion.delta()).isNotNull();
            map = deletion.applyTo(map);
            assertThat(map.peer(eph)).as("the ephemeral node left the watcher's map").isNull();
            List<Map<String, Object>> nodes = admin().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath().getList("");
            assertThat(nodes).noneSatisfy(n -> assertThat(n.get("id")).isEqualTo(eph));
        }
    }

    static boolean online(String id) {
        List<Map<String, Object>> nodes = admin().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath().getList("");
        return nodes.stream().anyMatch(n -> id.equals(n.get("id")) && Boolean.TRUE.equals(n.get("online")));
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, DEADLINE).isLessThan(end);
            Thread.sleep(50);
        }
    }
}
