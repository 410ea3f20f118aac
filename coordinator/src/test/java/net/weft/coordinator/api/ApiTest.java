package net.weft.coordinator.api;

import static io.restassured.RestAssured.given;
import static net.weft.coordinator.Api.admin;
import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.node;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import net.weft.coordinator.Api;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.wire.MapUpdate;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    ClusterStore store;

    @Test
    void tokensAreCreatedListedWithoutSecretsAndRevoked() {
        JsonPath created = admin().contentType(ContentType.JSON)
                .body(Map.of("reusable", true, "uses", 3, "expires", "1h", "tags", List.of("gw", "eu"), "ephemeral", true))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        assertThat(created.getString("secret")).hasSize(43);
        assertThat(created.getInt("usesLeft")).isEqualTo(3);
        assertThat(created.getList("tags", String.class)).containsExactly("eu", "gw");
        assertThat(created.getString("expiresAt")).isNotNull();

        String list = admin().get("/api/v1/tokens").then().statusCode(200).extract().asString();
        assertThat(list).contains(id).doesNotContain(created.getString("secret")).doesNotContain("hash");

        admin().delete("/api/v1/tokens/" + id).then().statusCode(204);
        admin().delete("/api/v1/tokens/" + id).then().statusCode(404).contentType("application/problem+json");
        assertThat(admin().get("/api/v1/tokens").asString()).doesNotContain(id);
        // a revoked token joins nobody
        join(created.getString("secret"), "revoked").then().statusCode(401);
    }

    @Test
    void badTokenSettingsAreRefused() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("expires", "soon"), Map.of("expires", "-1h"),
                Map.of("uses", 0), Map.of("uses", 2), Map.of("tags", List.of("Not A Tag")))) {
            admin().contentType(ContentType.JSON).body(bad).post("/api/v1/tokens")
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void aSingleUseTokenJoinsOnceAndTheNodeGetsAddressesACredentialAndItsMap() {
        String t = token(Map.of());
        JsonPath first = join(t, "host-one").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("addresses", String.class)).hasSize(2)
                .anySatisfy(a -> assertThat(a).startsWith("100.").endsWith("/32"))
                .anySatisfy(a -> assertThat(a).startsWith("fd").endsWith("/128"));
        assertThat(first.getString("nodeCredential")).startsWith(first.getString("nodeId") + ".");
        assertThat(first.getString("map.self.nodeId")).isEqualTo(first.getString("nodeId"));

        String second = join(t, "host-two").then().statusCode(401).contentType("application/problem+json")
                .extract().asString();
        assertThat(second).doesNotContain(t);
    }

    @Test
    void aNodeReadsOnlyItsOwnMapAndSeesTheOthersAsPeers() {
        JsonPath a = join(token(Map.of()), "map-a").then().statusCode(200).extract().jsonPath();
        JsonPath b = join(token(Map.of()), "map-b").then().statusCode(200).extract().jsonPath();
        String aId = a.getString("nodeId");
        String bId = b.getString("nodeId");

        JsonPath mapA = node(a.getString("nodeCredential")).get("/api/v1/map").then().statusCode(200).extract().jsonPath();
        assertThat(mapA.getString("self.nodeId")).isEqualTo(aId);
        assertThat(mapA.getList("peers.nodeId", String.class)).contains(bId).doesNotContain(aId);
        JsonPath mapB = node(b.getString("nodeCredential")).get("/api/v1/map").then().statusCode(200).extract().jsonPath();
        assertThat(mapB.getString("self.nodeId")).isEqualTo(bId);

        // a credential with another node's id and this node's secret is nobody
        String forged = aId + "." + b.getString("nodeCredential").substring(bId.length() + 1);
        node(forged).get("/api/v1/map").then().statusCode(401);
    }

    @Test
    void adminRoutesRefuseANodeCredentialAndNodeRoutesRefuseTheAdmin() {
        String credential = join(token(Map.of()), "not-admin").then().statusCode(200).extract().path("nodeCredential");
        for (String path : List.of("/api/v1/tokens", "/api/v1/nodes", "/api/v1/status", "/api/v1/spec")) {
            node(credential).get(path).then().statusCode(403).contentType("application/problem+json");
        }
        node(credential).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/tokens").then().statusCode(403);
        admin().get("/api/v1/map").then().statusCode(403);
        admin().post("/api/v1/heartbeat").then().statusCode(403);
    }

    @Test
    void heartbeatsMakeANodeOnlineAndExpiryShutsItOut() {
        JsonPath j = join(token(Map.of()), "expiring").then().statusCode(200).extract().jsonPath();
        String id = j.getString("nodeId");
        String credential = j.getString("nodeCredential");
        node(credential).post("/api/v1/heartbeat").then().statusCode(200).extract().path("leaseSeconds");
        List<Map<String, Object>> nodes = admin().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(nodes).anySatisfy(n -> {
            assertThat(n.get("id")).isEqualTo(id);
            assertThat(n.get("online")).isEqualTo(true);
            assertThat(n).doesNotContainKey("credentialHash");
        });

        admin().post("/api/v1/nodes/" + id + "/expire").then().statusCode(204);
        node(credential).get("/api/v1/map").then().statusCode(401);
        admin().delete("/api/v1/nodes/" + id).then().statusCode(204);
        admin().delete("/api/v1/nodes/" + id).then().statusCode(404);
        admin().post("/api/v1/nodes/nosuch/expire").then().statusCode(404);
    }

    @Test
    void reportsReplaceEndpointsInThePeersMaps() {
        JsonPath a = join(token(Map.of()), "report-a").then().statusCode(200).extract().jsonPath();
        JsonPath b = join(token(Map.of()), "report-b").then().statusCode(200).extract().jsonPath();
        node(a.getString("nodeCredential")).contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 1, "endpoints", List.of("198.51.100.9:51820", "[2001:db8::9]:51820")))
                .post("/api/v1/report").then().statusCode(200);
        NetworkMap mapB = map(b.getString("nodeCredential"));
        assertThat(mapB.peer(a.getString("nodeId")).endpoints()).extracting(Object::toString)
                .containsExactly("198.51.100.9:51820", "[2001:db8::9]:51820");
    }

    @Test
    void aRepeatedIdenticalReportRaisesNoVersion() throws Exception {
        // joined with its endpoints out of order and repeated: the report of the same set is no change
        List<String> endpoints = List.of("198.51.100.21:51820", "[2001:db8::21]:51820", "192.0.2.21:51820",
                "198.51.100.21:51820");
        String credential = given().contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 2, "token", token(Map.of()), "publicKey", Api.newPublicKey(),
                        "hostname", "steady", "endpoints", endpoints))
                .post("/api/v1/join").then().statusCode(200).extract().path("nodeCredential");
        long before = Api.awaitSteady(store, 0);
        for (int i = 0; i < 5; i++) {
            node(credential).contentType(ContentType.JSON)
                    .body(Map.of("protocolVersion", 2, "endpoints", i % 2 == 0 ? endpoints : endpoints.reversed()))
                    .post("/api/v1/report").then().statusCode(200);
        }
        assertThat(Api.version()).as("the version after five reports of the joined endpoints").isEqualTo(before);

        // a different set is a change, once
        List<String> moved = List.of("198.51.100.22:51820");
        node(credential).contentType(ContentType.JSON).body(Map.of("protocolVersion", 2, "endpoints", moved))
                .post("/api/v1/report").then().statusCode(200);
        long after = Api.version();
        assertThat(after).isEqualTo(before + 1);
        node(credential).contentType(ContentType.JSON).body(Map.of("protocolVersion", 2, "endpoints", moved))
                .post("/api/v1/report").then().statusCode(200);
        assertThat(Api.version()).isEqualTo(after);
    }

    @Test
    void peerCountersAreReportedAndReadBackByTheAdminOnly() {
        JsonPath a = join(token(Map.of()), "peers-a").then().statusCode(200).extract().jsonPath();
        String aId = a.getString("nodeId");
        String aCredential = a.getString("nodeCredential");
        String bId = join(token(Map.of()), "peers-b").then().statusCode(200).extract().path("nodeId");

        // never reported: no time, no peers
        JsonPath none = admin().get("/api/v1/nodes/" + aId + "/peers").then().statusCode(200).extract().jsonPath();
        assertThat(none.getString("nodeId")).isEqualTo(aId);
        assertThat(none.getMap("")).doesNotContainKey("reportedAt");
        assertThat(none.getList("peers")).isEmpty();

        Instant sent = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        JsonPath answer = node(aCredential).contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 2, "peers", List.of(
                        Map.of("nodeId", "zz-not-joined", "rxBytes", 0, "txBytes", 148, "lastHandshakeMillis", 0),
                        Map.of("nodeId", bId, "endpoint", "[2001:db8::b]:51820", "rxBytes", 5_000_000_000L,
                                "txBytes", 1234, "lastHandshakeMillis", 1_764_460_800_000L))))
                .post("/api/v1/report").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getInt("peerReports")).isEqualTo(2);

        JsonPath read = admin().get("/api/v1/nodes/" + aId + "/peers").then().statusCode(200).extract().jsonPath();
        assertThat(read.getString("nodeId")).isEqualTo(aId);
        assertThat(Instant.parse(read.getString("reportedAt"))).isBetween(sent, Instant.now());
        assertThat(read.getList("peers.nodeId", String.class)).containsExactly(bId, "zz-not-joined");
        assertThat(read.getString("peers[0].endpoint")).isEqualTo("[2001:db8::b]:51820");
        assertThat(read.getLong("peers[0].rxBytes")).isEqualTo(5_000_000_000L);
        assertThat(read.getLong("peers[0].txBytes")).isEqualTo(1234);
        assertThat(read.getLong("peers[0].lastHandshakeMillis")).isEqualTo(1_764_460_800_000L);
        assertThat(read.getMap("peers[1]")).doesNotContainKey("endpoint");

        // the next report replaces the last; a report without peers leaves them alone
        node(aCredential).contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 2, "peers", List.of(Map.of("nodeId", bId, "rxBytes", 7, "txBytes", 8,
                        "lastHandshakeMillis", 9))))
                .post("/api/v1/report").then().statusCode(200);
        node(aCredential).contentType(ContentType.JSON).body(Map.of("protocolVersion", 2, "endpoints", List.of()))
                .post("/api/v1/report").then().statusCode(200);
        read = admin().get("/api/v1/nodes/" + aId + "/peers").then().statusCode(200).extract().jsonPath();
        assertThat(read.getList("peers.nodeId", String.class)).containsExactly(bId);
        assertThat(read.getLong("peers[0].rxBytes")).isEqualTo(7);

        // admin only; unknown nodes are 404 problems; a deleted node's counters go with it
        node(aCredential).get("/api/v1/nodes/" + aId + "/peers").then().statusCode(403).contentType(Problems.MEDIA_TYPE);
        admin().get("/api/v1/nodes/nosuch/peers").then().statusCode(404).contentType(Problems.MEDIA_TYPE);
        admin().delete("/api/v1/nodes/" + aId).then().statusCode(204);
        admin().get("/api/v1/nodes/" + aId + "/peers").then().statusCode(404).contentType(Problems.MEDIA_TYPE);
    }

    @Test
    void badPeerReportsAreRefusedWholeAndNothingIsStored() {
        JsonPath j = join(token(Map.of()), "peers-bad").then().statusCode(200).extract().jsonPath();
        String id = j.getString("nodeId");
        String credential = j.getString("nodeCredential");
        Map<String, Object> good = Map.of("nodeId", "n-good", "rxBytes", 1, "txBytes", 2, "lastHandshakeMillis", 3);
        node(credential).contentType(ContentType.JSON).body(Map.of("protocolVersion", 2, "peers", List.of(good)))
                .post("/api/v1/report").then().statusCode(200);
        String stored = admin().get("/api/v1/nodes/" + id + "/peers").then().statusCode(200).extract().asString();
        List<String> endpointsBefore = endpointsOf(id);

        // compact entries, so the report stays under the 64 KiB body limit and reaches the peer count check
        List<Map<String, Object>> tooMany = new java.util.ArrayList<>();
        for (int i = 0; i <= net.weft.coordinator.service.NetworkService.MAX_PEER_REPORTS; i++) {
            tooMany.add(Map.of("nodeId", Integer.toString(i, 36), "rxBytes", 0, "txBytes", 0, "lastHandshakeMillis", 0));
        }
        List<Object> badLists = List.of(
                List.of(Map.of("nodeId", "n1", "rxBytes", -1, "txBytes", 0, "lastHandshakeMillis", 0)),
                List.of(Map.of("nodeId", "n1", "rxBytes", 0, "txBytes", -1, "lastHandshakeMillis", 0)),
                List.of(Map.of("nodeId", "n1", "rxBytes", 0, "txBytes", 0, "lastHandshakeMillis", -1)),
                List.of(Map.of("nodeId", " ", "rxBytes", 0, "txBytes", 0, "lastHandshakeMillis", 0)),
                List.of(Map.of("nodeId", "x".repeat(65), "rxBytes", 0, "txBytes", 0, "lastHandshakeMillis", 0)),
                List.of(Map.of("nodeId", "n1", "rxBytes", 0, "txBytes", 0)),
                List.of(Map.of("nodeId", "n1", "endpoint", "nonsense", "rxBytes", 0, "txBytes", 0, "lastHandshakeMillis", 0)),
                List.of(good, good),
                tooMany);
        for (Object peers : badLists) {
            // endpoints that would be a change: refused with the rest
            String problem = node(credential).contentType(ContentType.JSON)
                    .body(Map.of("protocolVersion", 2, "endpoints", List.of("198.51.100.33:51820"), "peers", peers))
                    .post("/api/v1/report").then().statusCode(400).contentType(Problems.MEDIA_TYPE).extract().asString();
            assertThat(problem).contains("peers");
        }
        String nullEntry = "{\"protocolVersion\":2,\"peers\":[null]}";
        node(credential).contentType(ContentType.JSON).body(nullEntry).post("/api/v1/report")
                .then().statusCode(400).contentType(Problems.MEDIA_TYPE);
        assertThat(admin().get("/api/v1/nodes/" + id + "/peers").then().statusCode(200).extract().asString()).isEqualTo(stored);
        assertThat(endpointsOf(id)).isEqualTo(endpointsBefore);
    }

    private static List<String> endpointsOf(String id) {
        List<Map<String, Object>> nodes = admin().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath().getList("");
        @SuppressWarnings("unchecked")
        List<String> e = (List<String>) nodes.stream().filter(n -> id.equals(n.get("id"))).findFirst().orElseThrow().get("endpoints");
        return e;
    }

    @Test
    void invalidSpecsAreRefusedWithEveryProblemAndTheRunningSpecKept() {
        String good = """
                apiVersion: weft.dev/v1alpha1
                kind: Network
                metadata:
                  name: testnet
                spec:
                  mtu: 1420
                """;
        admin().contentType("application/yaml").body(good.getBytes(StandardCharsets.UTF_8)).put("/api/v1/spec").then().statusCode(204);
        JsonPath problem = admin().contentType("application/yaml")
                .body("apiVersion: weft.dev/v1alpha1\nkind: OnRamp\nmetadata:\n  name: x\nspec:\n  bogus: 1\n"
                        .getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/spec").then().statusCode(400).contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("problems", String.class)).hasSizeGreaterThan(1)
                .anySatisfy(p -> assertThat(p).contains("spec.bogus").contains("unknown field"));
        assertThat(admin().get("/api/v1/spec").then().statusCode(200).extract().asString()).isEqualTo(good);

        String credential = join(token(Map.of()), "mtu-check").then().statusCode(200).extract().path("nodeCredential");
        assertThat(map(credential).self().mtu()).isEqualTo(1420);
    }

    @Test
    void theMapStreamSendsTheFullMapThenADeltaWhenAnotherNodeJoins() throws Exception {
        String credential = join(token(Map.of()), "streamer").then().statusCode(200).extract().path("nodeCredential");
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v1/map/stream"))
                .header("Authorization", "Bearer " + credential).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BlockingQueue<String> data = new ArrayBlockingQueue<>(16);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                    }
                }
            } catch (java.io.IOException e) {
                // the test closed the stream
            }
        });
        try {
            MapUpdate full = CanonicalJson.fromBytes(poll(data).getBytes(StandardCharsets.UTF_8), MapUpdate.class);
            assertThat(full.full()).isNotNull();
            String newcomer = join(token(Map.of()), "newcomer").then().statusCode(200).extract().path("nodeId");
            MapUpdate delta = CanonicalJson.fromBytes(poll(data).getBytes(StandardCharsets.UTF_8), MapUpdate.class);
            assertThat(delta.delta()).isNotNull();
            assertThat(delta.delta().fromVersion()).isEqualTo(full.toVersion());
            NetworkMap after = delta.applyTo(full.full());
            assertThat(after.peer(newcomer)).isNotNull();
            assertThat(CanonicalJson.toBytes(after)).isEqualTo(CanonicalJson.toBytes(map(credential)));
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    private static String poll(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("an event within 10 s").isNotNull();
        return s;
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
