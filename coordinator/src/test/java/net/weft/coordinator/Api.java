package net.weft.coordinator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.weft.coordinator.auth.AdminCredential;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.crypto.key.PrivateKey;
import org.eclipse.microprofile.config.ConfigProvider;

/** Test helpers: calls as the admin, as a node, and joins with fresh keys. */
public final class Api {

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private Api() {
    }

    /** The admin credential the coordinator under test wrote to its data directory. */
    public static String adminCredential() {
        try {
            Path dir = Path.of(ConfigProvider.getConfig().getValue("weft.data-dir", String.class));
            return Files.readString(dir.resolve(AdminCredential.FILE)).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminCredential());
    }

    public static RequestSpecification node(String credential) {
        return given().header("Authorization", "Bearer " + credential);
    }

    /** A new token's secret. */
    public static String token(Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("secret");
    }

    /** A fresh node public key, base64 as wg prints it. */
    public static String newPublicKey() {
        return PrivateKey.generate(RANDOM).publicKey().toBase64();
    }

    /** The network version, from the admin status. */
    public static long version() {
        return admin().get("/api/v1/status").then().statusCode(200).extract().jsonPath().getLong("version");
    }

    /**
     * Waits (bounded) until exactly {@code online} nodes hold a lease, so the leases of earlier tests' nodes have
     * all run out; then waits for the network lock once, so the change that dropped the last of them is done.
     * After this only the test's own calls (and the leases of the nodes it keeps beating) move the version.
     *
     * @return the network version then
     */
    public static long awaitSteady(ClusterStore store, int online) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (admin().get("/api/v1/status").then().statusCode(200).extract().jsonPath().getInt("online") != online) {
            assertThat(System.nanoTime()).as("%d node(s) online within 20 s", online).isLessThan(end);
            Thread.sleep(50);
        }
        store.underNetworkLock(Duration.ofSeconds(10), () -> null);
        return version();
    }

    /** Joins with {@code token}; returns the response whatever its status. */
    public static Response join(String token, String hostname) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("protocolVersion", 1, "token", token, "publicKey", newPublicKey(), "hostname", hostname,
                        "endpoints", List.of("192.0.2.10:51820")))
                .post("/api/v1/join");
    }
}
