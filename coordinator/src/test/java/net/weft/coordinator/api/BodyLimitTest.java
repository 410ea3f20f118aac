package net.weft.coordinator.api;

import static net.weft.coordinator.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** A body over the 64 KiB limit: 413 as a problem detail, on an admin route and on the token route alike. */
@QuarkusTest
class BodyLimitTest {

    private static final byte[] OVER = new byte[64 * 1024 + 1];

    @Test
    void aBodyOverTheLimitIsA413ProblemDetail() {
        java.util.Arrays.fill(OVER, (byte) ' ');
        for (String path : new String[] {"/api/v1/tokens", "/api/v1/join"}) {
            JsonPath p = admin().contentType("application/json").body(OVER).post(path)
                    .then().statusCode(413).contentType(Problems.MEDIA_TYPE).extract().jsonPath();
            assertThat(p.getInt("status")).isEqualTo(413);
            assertThat(p.getString("type")).isEqualTo(Problems.TYPE_BASE + "too-large");
        }
    }

    @Test
    void aBodyAtTheLimitIsReadAsUsual() {
        byte[] at = new byte[64 * 1024];
        java.util.Arrays.fill(at, (byte) ' ');
        at[0] = '{';
        at[at.length - 1] = '}';
        admin().contentType("application/json").body(at).post("/api/v1/tokens").then().statusCode(201);
    }
}
