package net.weft.labs.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real coordinator, packaged, on a real PostgreSQL:
 *
 * <pre>
 *   test ──HTTP──▶ coordinator A (data dir A) ──JDBC──▶ PostgreSQL (Testcontainers, weft/postgres)
 *                  SIGTERM
 *   test ──HTTP──▶ coordinator B (fresh data dir B) ──JDBC──▶ the same PostgreSQL
 * </pre>
 *
 * Everything A was told (tokens with their use counts, nodes) is there for B, and in PostgreSQL's tables.
 * B's data directory holds no admin credential file: the hash is in the store, so B keeps A's credential
 * and does not make a new one (the file stays where A wrote it).
 */
@Timeout(180)
class PostgresStoreLabTest {

    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void everyNodeAndTokenIsBackWhenANewCoordinatorStartsOnTheSameDatabase() throws Exception {
        try (PostgreSQLContainer pg = CoordinatorProcess.postgres("PostgresStoreLabTest")) {
            Map<String, String> settings = new HashMap<>();
            settings.put("db.kind", "postgresql");
            settings.put("db.url", pg.getJdbcUrl());
            settings.put("db.user", pg.getUsername());
            settings.put("db.password", pg.getPassword());
            settings.put("cluster.name", "weft-pg-lab-" + UUID.randomUUID());
            settings.put("cluster.bind", "127.0.0.1");
            settings.put("cluster.join-wait", "0s");

            List<CoordinatorProcess> started = new ArrayList<>();
            try {
                settings.put("cluster.port", Integer.toString(CoordinatorProcess.freePort()));
                CoordinatorProcess a = CoordinatorProcess.start("A", CoordinatorProcess.freePort(),
                        CoordinatorProcess.labDir("pg-store").resolve("a"), settings);
                started.add(a);
                a.awaitReady(START);
                String admin = a.adminCredentialFile();
                assertThat(admin).as("A's admin credential file").isNotBlank();

                JsonNode reusable = a.createToken(admin, Map.of("reusable", true, "uses", 3, "tags", List.of("lab")));
                JsonNode single = a.createToken(admin, Map.of());
                JsonNode unused = a.createToken(admin, Map.of("expires", "1h"));
                List<String> nodeIds = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    nodeIds.add(a.join(reusable.get("secret").asText(), "reuse-" + i).expect(200).json().get("nodeId").asText());
                }
                nodeIds.add(a.join(single.get("secret").asText(), "single").expect(200).json().get("nodeId").asText());
                assertThat(a.join(reusable.get("secret").asText(), "one-too-many").status()).isEqualTo(401);

                Map<String, JsonNode> nodesBefore = byId(a.get("/api/v1/nodes", admin).expect(200).json(), true);
                Map<String, JsonNode> tokensBefore = byId(a.get("/api/v1/tokens", admin).expect(200).json(), false);
                assertThat(nodesBefore.keySet()).containsExactlyInAnyOrderElementsOf(nodeIds);
                assertThat(tokensBefore.keySet()).containsExactlyInAnyOrder(reusable.get("id").asText(),
                        single.get("id").asText(), unused.get("id").asText());
                assertThat(tokensBefore.get(reusable.get("id").asText()).get("used").asInt()).isEqualTo(3);

                assertThat(a.stop(Duration.ofSeconds(30))).as("A's exit code after SIGTERM").isIn(0, 143);

                settings.put("cluster.port", Integer.toString(CoordinatorProcess.freePort()));
                CoordinatorProcess b = CoordinatorProcess.start("B", CoordinatorProcess.freePort(),
                        CoordinatorProcess.labDir("pg-store").resolve("b"), settings);
                started.add(b);
                b.awaitReady(START);
                // the credential's hash came back from the store: B writes no file and A's credential holds
                assertThat(b.adminCredentialFile()).as("B's admin credential file").isNull();
                assertThat(b.logText()).doesNotContain("admin credential: ");

                Map<String, JsonNode> nodesAfter = byId(b.get("/api/v1/nodes", admin).expect(200).json(), true);
                Map<String, JsonNode> tokensAfter = byId(b.get("/api/v1/tokens", admin).expect(200).json(), false);
                assertThat(nodesAfter).isEqualTo(nodesBefore);
                assertThat(tokensAfter).isEqualTo(tokensBefore);

                // the use counts hold: the used-up tokens refuse, the unused one admits exactly one node
                assertThat(b.join(reusable.get("secret").asText(), "after-reuse").status()).isEqualTo(401);
                assertThat(b.join(single.get("secret").asText(), "after-single").status()).isEqualTo(401);
                String late = b.join(unused.get("secret").asText(), "late").expect(200).json().get("nodeId").asText();
                assertThat(b.join(unused.get("secret").asText(), "later").status()).isEqualTo(401);
                assertThat(byId(b.get("/api/v1/tokens", admin).expect(200).json(), false)
                        .get(unused.get("id").asText()).get("used").asInt()).isEqualTo(1);

                Set<String> expectedNodes = new TreeSet<>(nodeIds);
                expectedNodes.add(late);
                try (Connection c = DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword())) {
                    assertThat(keys(c, "weft_nodes")).isEqualTo(expectedNodes);
                    assertThat(keys(c, "weft_tokens")).isEqualTo(new TreeSet<>(tokensBefore.keySet()));
                    assertThat(keys(c, "weft_settings")).contains("admin.credential.sha256");
                }
                b.stop(Duration.ofSeconds(30));
            } catch (AssertionError | Exception e) {
                for (CoordinatorProcess p : started) {
                    System.err.println("==== coordinator " + p.name + " log (" + p.log + "):\n" + p.logText());
                }
                throw e;
            } finally {
                started.forEach(CoordinatorProcess::close);
            }
        }
    }

    /** A JSON array of objects by their "id"; for nodes without "online", which is soft state (leases). */
    static Map<String, JsonNode> byId(JsonNode array, boolean dropOnline) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode n : array) {
            ObjectNode copy = ((ObjectNode) n).deepCopy();
            if (dropOnline) {
                copy.remove("online");
            }
            out.put(n.get("id").asText(), copy);
        }
        return out;
    }

    static Set<String> keys(Connection c, String table) throws Exception {
        Set<String> keys = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT k FROM " + table)) {
            while (r.next()) {
                keys.add(r.getString(1));
            }
        }
        return keys;
    }
}
