package net.weft.coordinator.api;

import static io.restassured.RestAssured.given;
import static net.weft.coordinator.Api.admin;
import static net.weft.coordinator.Api.adminCredential;
import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.node;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.weft.coordinator.auth.Sessions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard: its files, its login (the admin credential traded for an HttpOnly, SameSite=Strict session
 * cookie), what the cookie reaches and what a write through it needs, logout, and the routes it reads: the
 * topology and its live event stream.
 */
@QuarkusTest
class DashboardApiTest {

    private static final Pattern VENDOR_PATH = Pattern.compile("from \"(/webjars/[^\"]+)\"");

    @TestHTTPResource("/")
    URL base;

    /** Logs in; returns the session cookie's value. */
    private static String login() {
        Response r = given().contentType(ContentType.JSON).body(Map.of("credential", adminCredential()))
                .post("/api/v1/session");
        r.then().statusCode(200);
        return r.getCookie(Sessions.COOKIE);
    }

    private static RequestSpecification session(String cookie) {
        return given().cookie(Sessions.COOKIE, cookie);
    }

    private static RequestSpecification sessionWrite(String cookie) {
        return session(cookie).header(Sessions.CSRF_HEADER, Sessions.CSRF_VALUE);
    }

    @Test
    void theDashboardIsServedAtTheRootWithItsGraphLibraryAndStrictHeaders() {
        Response page = given().get("/");
        page.then().statusCode(200).contentType(ContentType.HTML);
        assertThat(page.asString()).contains("id=\"login-form\"", "type=\"password\"", "/dashboard/app.js")
                .doesNotContain("http://", "https://");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'", "script-src 'self'",
                "frame-ancestors 'none'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");

        for (String file : List.of("app.js", "api.js", "model.js", "graph.js", "views.js", "format.js", "style.css")) {
            given().get("/dashboard/" + file).then().statusCode(200);
        }
        String vendor = given().get("/dashboard/vendor.js").then().statusCode(200).extract().asString();
        Matcher m = VENDOR_PATH.matcher(vendor);
        assertThat(m.find()).as("vendor.js imports the graph library from a WebJar: %s", vendor).isTrue();
        Response library = given().get(m.group(1));
        library.then().statusCode(200);
        assertThat(library.contentType()).as("a module script needs a JavaScript type").startsWith("text/javascript");
    }

    @Test
    void loginTradesTheAdminCredentialForAnHttpOnlyStrictCookieAndRefusesAnythingElse() {
        for (Object bad : List.<Object>of(Map.of("credential", "not-it"), Map.of("credential", adminCredential() + "x"),
                Map.of("credential", ""))) {
            Response r = given().contentType(ContentType.JSON).body(bad).post("/api/v1/session");
            r.then().statusCode(401).contentType(Problems.MEDIA_TYPE);
            assertThat(r.getCookie(Sessions.COOKIE)).isNull();
        }
        // a node credential is no admin credential either
        String nodeCredential = join(token(Map.of()), "dash-login-node").then().statusCode(200).extract().path("nodeCredential");
        given().contentType(ContentType.JSON).body(Map.of("credential", nodeCredential)).post("/api/v1/session")
                .then().statusCode(401);

        Response ok = given().contentType(ContentType.JSON).body(Map.of("credential", adminCredential()))
                .post("/api/v1/session");
        ok.then().statusCode(200);
        String setCookie = ok.header("Set-Cookie");
        assertThat(setCookie).startsWith(Sessions.COOKIE + "=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/").containsIgnoringCase("Max-Age=")
                .doesNotContainIgnoringCase("Secure") // plain http here; https gets Secure
                .doesNotContain(adminCredential());
        assertThat(ok.getCookie(Sessions.COOKIE)).hasSize(43);
        assertThat(ok.asString()).contains("expiresAt").doesNotContain(ok.getCookie(Sessions.COOKIE));
    }

    @Test
    void theSessionReadsTheDashboardRoutesOnlyAndWritesNeedTheDashboardHeader() {
        String cookie = login();
        for (String path : List.of("/api/v1/topology", "/api/v1/nodes", "/api/v1/status", "/api/v1/tokens", "/api/v1/session")) {
            session(cookie).get(path).then().statusCode(200);
        }
        session(cookie).get("/api/v1/session").then().body("session", org.hamcrest.Matchers.equalTo(true));

        // writes: without the header a forged cross-site form or fetch is refused
        session(cookie).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/tokens").then().statusCode(403)
                .contentType(Problems.MEDIA_TYPE);
        String id = sessionWrite(cookie).contentType(ContentType.JSON).body(Map.of("expires", "1h")).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("id");
        session(cookie).delete("/api/v1/tokens/" + id).then().statusCode(403);
        sessionWrite(cookie).delete("/api/v1/tokens/" + id).then().statusCode(204);

        // the rest of the admin API is for the credential itself, header or not
        sessionWrite(cookie).get("/api/v1/spec").then().statusCode(403);
        sessionWrite(cookie).contentType("application/yaml").body("x: y".getBytes(StandardCharsets.UTF_8)).put("/api/v1/spec").then().statusCode(403);
        sessionWrite(cookie).delete("/api/v1/nodes/n0123456789ab").then().statusCode(403);
        sessionWrite(cookie).post("/api/v1/nodes/n0123456789ab/expire").then().statusCode(403);
        // and never a node route
        session(cookie).get("/api/v1/map").then().statusCode(403);
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        String cookie = login();
        session(cookie).delete("/api/v1/session").then().statusCode(403); // a write: the header is needed
        Response out = sessionWrite(cookie).delete("/api/v1/session");
        out.then().statusCode(204);
        assertThat(out.header("Set-Cookie")).startsWith(Sessions.COOKIE + "=;").contains("Max-Age=0");
        session(cookie).get("/api/v1/topology").then().statusCode(401).contentType(Problems.MEDIA_TYPE);
        session(cookie).get("/api/v1/session").then().statusCode(401);
    }

    @Test
    void aCookieThatIsNoSessionGetsTheUniform401() {
        String uniform = given().get("/api/v1/topology").then().statusCode(401).extract().asString();
        for (String bogus : List.of("", "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", adminCredential())) {
            Response r = session(bogus).get("/api/v1/topology");
            r.then().statusCode(401).contentType(Problems.MEDIA_TYPE);
            assertThat(r.asString()).isEqualTo(uniform);
        }
    }

    @Test
    void theTopologyAndEventRoutesNeedTheAdmin() {
        String nodeCredential = join(token(Map.of()), "dash-not-admin").then().statusCode(200).extract().path("nodeCredential");
        for (String path : List.of("/api/v1/topology", "/api/v1/events", "/api/v1/session")) {
            given().get(path).then().statusCode(401).contentType(Problems.MEDIA_TYPE);
            node(nodeCredential).get(path).then().statusCode(403).contentType(Problems.MEDIA_TYPE);
        }
        node(nodeCredential).delete("/api/v1/session").then().statusCode(403);
        admin().get("/api/v1/session").then().statusCode(200).body("session", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void theTopologyShowsNodesTunnelsOnRampsWithTheActiveGatewayTokensAndMembers() throws Exception {
        admin().contentType("application/yaml").body(SPEC.getBytes(StandardCharsets.UTF_8)).put("/api/v1/spec").then().statusCode(204);
        String t = token(Map.of("reusable", true, "uses", 3));
        String a = join(t, "dash-gw-a").then().statusCode(200).extract().path("nodeCredential");
        String b = join(t, "dash-gw-b").then().statusCode(200).extract().path("nodeCredential");
        for (String c : List.of(a, b)) {
            node(c).post("/api/v1/heartbeat").then().statusCode(200);
            node(c).contentType(ContentType.JSON).body(Map.of("protocolVersion", 2, "health", List.of(Map.of(
                    "protocolVersion", 2, "onRamp", "dash-vpc", "healthy", true, "probes", List.of(),
                    "reportedAtMillis", System.currentTimeMillis())))).post("/api/v1/report").then().statusCode(200);
        }
        node(a).contentType(ContentType.JSON).body(Map.of("protocolVersion", 2, "peers", List.of(Map.of("nodeId", "dash-gw-b",
                "rxBytes", 1000, "txBytes", 2000, "lastHandshakeMillis", System.currentTimeMillis()))))
                .post("/api/v1/report").then().statusCode(200);

        JsonPath topology = admin().get("/api/v1/topology").then().statusCode(200).extract().jsonPath();
        assertThat(topology.getString("network.name")).isEqualTo("dash-net");
        assertThat(topology.getList("nodes.id", String.class)).contains("dash-gw-a", "dash-gw-b");
        Map<String, Object> gwA = topology.getMap("nodes.find { it.id == 'dash-gw-a' }");
        assertThat(gwA).containsEntry("online", true).containsEntry("rxBytes", 1000).containsEntry("txBytes", 2000)
                .containsEntry("tunnelsUp", 1).containsEntry("gatewayOf", List.of("dash-vpc"))
                .doesNotContainKey("credentialHash");
        assertThat(topology.getList("nodes.roles.flatten()", String.class)).contains("gateway");
        Map<String, Object> link = topology.getMap("links.find { it.a == 'dash-gw-a' && it.b == 'dash-gw-b' }");
        assertThat(link).as("the link between the gateways in %s", topology.getList("links")).isNotNull();
        assertThat(link).containsEntry("kind", "direct").containsEntry("tunnel", true).containsKey("lastHandshakeMillis");

        Map<String, Object> ramp = topology.getMap("onRamps.find { it.name == 'dash-vpc' }");
        assertThat(ramp).containsEntry("active", "dash-gw-a").containsEntry("cidrs", List.of("198.18.9.0/24"))
                .containsEntry("snat", true);
        assertThat(topology.getList("onRamps.find { it.name == 'dash-vpc' }.gateways.node", String.class))
                .containsExactly("dash-gw-a", "dash-gw-b");
        assertThat(topology.getList("onRamps.find { it.name == 'dash-vpc' }.gateways.healthy", Boolean.class))
                .containsExactly(true, true);
        assertThat(topology.getList("tokens.id", String.class)).isNotEmpty();
        assertThat(topology.getString("tokens")).doesNotContain(t).doesNotContain("hash");
        assertThat(topology.getList("members.local", Boolean.class)).containsExactly(true);
    }

    @Test
    void theEventStreamSendsASnapshotThenADeltaWhenANodeJoinsOrATokenIsCreated() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String cookie = login();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v1/events"))
                .header("Cookie", Sessions.COOKIE + "=" + cookie).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BlockingQueue<String[]> events = new ArrayBlockingQueue<>(1000);
        Thread reader = Thread.ofVirtual().start(() -> readEvents(response.body(), events));
        try {
            String[] first = events.poll(10, TimeUnit.SECONDS);
            assertThat(first).as("the first event").isNotNull();
            assertThat(first[0]).isEqualTo("snapshot");
            assertThat(first[1]).contains("\"nodes\"", "\"members\"");

            String id = join(token(Map.of()), "dash-live").then().statusCode(200).extract().path("nodeId");
            awaitEvent(events, "delta", "\"" + id + "\"", Duration.ofSeconds(10));

            String tokenId = admin().contentType(ContentType.JSON).body(Map.of("expires", "2h")).post("/api/v1/tokens")
                    .then().statusCode(201).extract().path("id");
            awaitEvent(events, "delta", "\"" + tokenId + "\"", Duration.ofSeconds(10));

            // logging out ends the stream opened with the session
            sessionWrite(cookie).delete("/api/v1/session").then().statusCode(204);
            awaitEvent(events, "end", "", Duration.ofSeconds(10));
        } finally {
            response.body().close();
            reader.join(Duration.ofSeconds(5));
        }
    }

    /** Reads {@code event:}/{@code data:} pairs into {@code events}, then an {@code end} when the stream ends. */
    private static void readEvents(java.io.InputStream in, BlockingQueue<String[]> events) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                } else if (line.isEmpty() && name != null) {
                    events.add(new String[]{name, data.toString()});
                    name = null;
                    data.setLength(0);
                }
            }
        } catch (java.io.IOException e) {
            // closed by the test
        }
        events.add(new String[]{"end", ""});
    }

    private static void awaitEvent(BlockingQueue<String[]> events, String name, String containing, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<String> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < end) {
            String[] e = events.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                break;
            }
            if (e[0].equals(name) && e[1].contains(containing)) {
                return;
            }
            seen.add(e[0]);
        }
        throw new AssertionError("no event " + name + " containing " + containing + " within " + timeout + "; saw " + seen);
    }

    private static final String SPEC = """
            apiVersion: weft.dev/v1alpha1
            kind: Network
            metadata:
              name: dash-net
            ---
            apiVersion: weft.dev/v1alpha1
            kind: Node
            metadata:
              name: dash-gw-a
            spec:
              roles: [gateway, member]
              reachable: true
            ---
            apiVersion: weft.dev/v1alpha1
            kind: Node
            metadata:
              name: dash-gw-b
            spec:
              roles: [gateway, member]
              reachable: true
            ---
            apiVersion: weft.dev/v1alpha1
            kind: OnRamp
            metadata:
              name: dash-vpc
            spec:
              provider: generic
              region: lab
              vpc: dash-vpc
              cidrs: [198.18.9.0/24]
              snat: true
              gateways:
                - node: dash-gw-a
                  priority: 200
                - node: dash-gw-b
                  priority: 100
              healthCheck:
                interval: 10s
                failureThreshold: 3
            """;
}
