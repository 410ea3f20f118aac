package net.weft.coordinator.api;

import static io.restassured.RestAssured.given;
import static net.weft.coordinator.Api.admin;
import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.weft.coordinator.Api;
import org.junit.jupiter.api.Test;

/**
 * A corpus of malformed requests against every route that takes a body or a parameter, with the right
 * credential so the input reaches the route: always a 4xx problem, never a 500.
 */
@QuarkusTest
class BadInputTest {

    static final String HUGE = "{\"tags\":[\"" + "a".repeat(100_000) + "\"]}";

    /** Bodies no route accepts. */
    static final List<String> CORPUS = List.of(
            "", "{", "}", "[", "null", "[]", "\"text\"", "42", "{\"a\":}", "{\"token\":\"x\",}", "{}{}", "\u0000\u0001",
            "{\"protocolVersion\":\"one\"}", "{\"protocolVersion\":1.5}", "{\"protocolVersion\":99999999999999999999}",
            "{\"reusable\":\"yes\"}", "{\"uses\":\"3\"}", "{\"uses\":-1}", "{\"uses\":[1]}", "{\"tags\":\"gw\"}",
            "{\"tags\":[1,2]}", "{\"tags\":[null]}", "{\"expires\":5}", "{\"expires\":\"P\"}", "{\"unknown\":1}",
            "{\"protocolVersion\":1,\"token\":\"t\",\"publicKey\":\"not base64!\",\"hostname\":\"h\"}",
            "{\"protocolVersion\":1,\"token\":\"t\",\"publicKey\":\"AAAA\",\"hostname\":\"h\"}",
            "{\"protocolVersion\":1,\"token\":\"t\",\"publicKey\":null,\"hostname\":\"h\"}",
            "{\"protocolVersion\":1,\"token\":\"t\",\"publicKey\":\"HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\",\"hostname\":\"bad host!\"}",
            "{\"protocolVersion\":1,\"token\":\"t\",\"publicKey\":\"HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\",\"hostname\":\"h\",\"endpoints\":[\"nonsense\"]}",
            "{\"protocolVersion\":1,\"token\":\"t\",\"publicKey\":\"HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\",\"hostname\":\"h\",\"endpoints\":[\"192.0.2.1:0\"]}",
            "{\"protocolVersion\":1,\"endpoints\":[\"999.1.1.1:5\"]}", "{\"protocolVersion\":1,\"endpoints\":{}}",
            "{\"protocolVersion\":1,\"health\":[{\"onRamp\":null}]}", "{\"protocolVersion\":1,\"health\":\"x\"}",
            "{\"protocolVersion\":1,\"endpoints\":[null]}", "{\"protocolVersion\":1,\"health\":[null]}",
            "{\"protocolVersion\":1,\"peers\":[null]}", "{\"protocolVersion\":1,\"peers\":\"x\"}", "{\"protocolVersion\":1,\"peers\":[{}]}",
            "{\"protocolVersion\":1,\"peers\":[{\"nodeId\":\"a\",\"rxBytes\":-1,\"txBytes\":0,\"lastHandshakeMillis\":0}]}",
            "{\"protocolVersion\":1,\"peers\":[{\"nodeId\":\"a\",\"rxBytes\":1e30,\"txBytes\":0,\"lastHandshakeMillis\":0}]}",
            "{\"protocolVersion\":0}", HUGE);

    /** Ids no token or node has. */
    static final List<String> IDS = List.of("x", "..", "%", "0123456789abcdef", "n0123456789ab", "' OR 1=1 --",
            "a".repeat(300), "é", "[]", "null");

    @Test
    void noBodyOrParameterMakesAnyRouteAnswer500() {
        String nodeCredential = join(token(Map.of()), "bad-input").then().statusCode(200).extract().path("nodeCredential");
        String admin = Api.adminCredential();
        record Route(String method, String path, String credential, String contentType) {
        }
        List<Route> routes = List.of(
                new Route("POST", "/api/v1/tokens", admin, "application/json"),
                new Route("POST", "/api/v1/join", null, "application/json"),
                new Route("POST", "/api/v1/report", nodeCredential, "application/json"),
                new Route("POST", "/api/v1/heartbeat", nodeCredential, "application/json"),
                new Route("PUT", "/api/v1/spec", admin, "application/yaml"),
                new Route("DELETE", "/api/v1/tokens/{id}", admin, null),
                new Route("DELETE", "/api/v1/nodes/{id}", admin, null),
                new Route("POST", "/api/v1/nodes/{id}/expire", admin, null),
                new Route("GET", "/api/v1/nodes/{id}/peers", admin, null));
        List<String> failures = new ArrayList<>();
        for (Route route : routes) {
            for (String body : CORPUS) {
                RequestSpecification r = given();
                if (route.credential() != null) {
                    r.header("Authorization", "Bearer " + route.credential());
                }
                String path = route.path();
                if (path.contains("{id}")) {
                    continue; // ids: below
                }
                if (route.contentType() != null) {
                    r.contentType(route.contentType()).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                Response resp = r.request(route.method(), path);
                int status = resp.statusCode();
                String what = route.method() + " " + path.substring(0, Math.min(60, path.length())) + " <- "
                        + body.substring(0, Math.min(60, body.length()));
                if (status >= 500 || status < 200) {
                    failures.add(what + ": " + status + " " + resp.asString());
                } else if (status >= 400 && status != 413 && !resp.contentType().startsWith("application/problem+json")) {
                    failures.add(what + ": " + status + " without a problem detail: " + resp.contentType());
                }
            }
        }
        for (Route route : routes) {
            if (!route.path().contains("{id}")) {
                continue;
            }
            for (String id : IDS) {
                Response resp = given().header("Authorization", "Bearer " + route.credential())
                        .pathParam("id", id).request(route.method(), route.path());
                if (resp.statusCode() >= 500 || resp.statusCode() < 400) {
                    failures.add(route.method() + " " + route.path() + " <- " + id + ": " + resp.statusCode());
                }
            }
        }
        // wrong content types and a bad stream position
        admin().contentType("text/plain").body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/tokens").then().statusCode(415);
        admin().contentType("application/json").body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).put("/api/v1/spec").then().statusCode(415);
        given().header("Authorization", "Bearer " + nodeCredential).get("/api/v1/map/stream?since=abc")
                .then().statusCode(org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(400))
                        .and(org.hamcrest.Matchers.lessThan(500)));
        assertThat(failures).isEmpty();
    }

    @Test
    void anInvalidPublicKeyIsA400ThatNamesTheField() {
        String t = token(Map.of());
        String body = admin().contentType("application/json")
                .body("{\"protocolVersion\":1,\"token\":\"" + t + "\",\"publicKey\":\"AAAA\",\"hostname\":\"h\"}")
                .post("/api/v1/join").then().statusCode(400).contentType("application/problem+json").extract().asString();
        assertThat(body).contains("publicKey").doesNotContain(t);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        admin().contentType("application/json").body(HUGE).post("/api/v1/tokens").then().statusCode(413);
    }
}
