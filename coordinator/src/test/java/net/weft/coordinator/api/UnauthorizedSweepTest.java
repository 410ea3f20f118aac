package net.weft.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every route of the OpenAPI document, called without a credential, answers 401 with the same body, so a
 * route added without protection fails here. Left out: only Quarkus's own {@code /q/*} (health, metrics,
 * the OpenAPI document itself), which are not in the document and carry no network state.
 */
@QuarkusTest
class UnauthorizedSweepTest {

    @Test
    void everyRouteAnswers401WithOneUniformBodyWithoutACredential() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        List<String> routes = new ArrayList<>();
        Map<String, String> bodies = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> p : paths.entrySet()) {
            String path = p.getKey().replace("{id}", "n0123456789ab");
            for (String method : p.getValue().keySet()) {
                if (!List.of("get", "post", "put", "delete", "patch").contains(method)) {
                    continue;
                }
                // the media type the route takes, so the call reaches it (no body: a credential-less call at its simplest)
                @SuppressWarnings("unchecked")
                Map<String, Object> op = (Map<String, Object>) p.getValue().get(method);
                @SuppressWarnings("unchecked")
                Map<String, Object> requestBody = (Map<String, Object>) op.get("requestBody");
                String mediaType = requestBody == null ? null
                        : ((Map<String, Object>) requestBody.get("content")).keySet().iterator().next();
                routes.add(method.toUpperCase() + " " + p.getKey());
                for (String auth : new String[]{null, "Bearer ", "Bearer not-a-credential", "Basic YWRtaW46YWRtaW4=",
                        "Bearer n0123456789ab.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
                    var request = given();
                    if (auth != null) {
                        request.header("Authorization", auth);
                    }
                    if (mediaType != null) {
                        request.contentType(mediaType);
                    }
                    Response r = request.request(method.toUpperCase(), path);
                    String key = method.toUpperCase() + " " + p.getKey() + " [" + auth + "]";
                    assertThat(r.statusCode()).as(key).isEqualTo(401);
                    assertThat(r.contentType()).as(key).startsWith("application/problem+json");
                    assertThat(r.header("WWW-Authenticate")).as(key).startsWith("Bearer");
                    bodies.put(key, r.asString());
                }
            }
        }
        // the document lists every route the issue asks for
        assertThat(routes).contains("POST /api/v1/tokens", "GET /api/v1/tokens", "DELETE /api/v1/tokens/{id}",
                "POST /api/v1/join", "GET /api/v1/map", "GET /api/v1/map/stream", "POST /api/v1/heartbeat",
                "POST /api/v1/report", "GET /api/v1/nodes", "DELETE /api/v1/nodes/{id}",
                "POST /api/v1/nodes/{id}/expire", "GET /api/v1/spec", "PUT /api/v1/spec", "GET /api/v1/status",
                "GET /api/v1/topology", "GET /api/v1/events", "POST /api/v1/session", "GET /api/v1/session",
                "DELETE /api/v1/session");
        assertThat(bodies.values()).as("one uniform body").hasSizeGreaterThan(routes.size()).containsOnly(
                bodies.values().iterator().next());
    }
}
