package net.weft.labs.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.weft.crypto.key.PrivateKey;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.model.Endpoint;
import net.weft.topology.wire.JoinRequest;
import net.weft.topology.wire.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code weft token ...} and {@code weft nodes ...} against the real coordinator: the packaged Quarkus app
 * ({@code coordinator/BUILD_DIR/quarkus-app/quarkus-run.jar}) started as a process on free loopback ports,
 * and the CLI run as {@code java -cp weft-node.jar net.weft.node.cli.WeftCli} processes, exit codes and all.
 *
 * <pre>
 *   weft token|nodes ... (one JVM each) --HTTP admin credential--\
 *                                                                 coordinator 127.0.0.1:FREE (Hazelcast member
 *   plain HTTP POST /api/v1/join (a generated key) --------------/  127.0.0.1:FREE, data in BUILD_DIR/admin-cli-lab/run-PID)
 * </pre>
 *
 * <p>The coordinator is not a Maven dependency of labs (that would put Quarkus on this classpath): a full
 * reactor build packages it first (the root pom lists it before labs); alone, build it with
 * {@code mvn -pl coordinator,labs -am install}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCliLabTest {

    static final Duration READY_WITHIN = Duration.ofSeconds(120);
    static final Duration CLI_WITHIN = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    Path work;
    Path nodeJar;
    CoordinatorProcess coordinator;
    String url;
    Path credentialFile;

    @BeforeAll
    void startCoordinator() throws Exception {
        String buildDir = System.getenv().getOrDefault("WEFT_BUILD_DIR", "target");
        nodeJar = CoordinatorProcess.repoRoot().resolve("overlay-node").resolve(buildDir).resolve("weft-node.jar");
        assertThat(nodeJar).as("%s is missing: build it first (mvn -Dweft.buildDir=%s -pl coordinator,overlay-node,labs -am "
                + "install -DskipTests)", nodeJar, buildDir).isRegularFile();
        work = CoordinatorProcess.labDir("admin-cli");
        Path dataDir = work.resolve("data");
        coordinator = CoordinatorProcess.start("admin-cli", CoordinatorProcess.freePort(), dataDir, Map.of(
                "cluster.name", "weft-cli-lab-" + UUID.randomUUID(),
                "cluster.bind", "127.0.0.1",
                "cluster.port", String.valueOf(CoordinatorProcess.freePort()),
                "cluster.join-wait", "0s"));
        coordinator.awaitReady(READY_WITHIN);
        url = coordinator.base();
        credentialFile = dataDir.resolve("admin.credential");
        assertThat(credentialFile).as("the coordinator saves its admin credential once ready").isRegularFile();
    }

    @AfterAll
    void stopCoordinator() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    /** {@code weft ARGS} with {@code --coordinator URL --credential-file FILE} after them, unless {@code env} says otherwise. */
    Run weft(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--coordinator", url, "--credential-file", credentialFile.toString()));
        return weftRaw(Map.of(), all);
    }

    Run weftRaw(Map<String, String> env, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", nodeJar.toString(), "net.weft.node.cli.WeftCli"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().remove("WEFT_COORDINATOR");
        pb.environment().remove("WEFT_ADMIN_CREDENTIAL");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "cli", ".out");
        Path err = Files.createTempFile(work, "cli", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(CLI_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("weft " + args + " did not finish within " + CLI_WITHIN);
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    HttpResponse<String> join(String token, PrivateKey key, String hostname) throws Exception {
        JoinRequest request = new JoinRequest(Protocol.PROTOCOL_VERSION, token, key.publicKey(), hostname,
                List.of(Endpoint.parse("198.51.100.7:51820")));
        return http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/join"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(CanonicalJson.toBytes(request)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String field(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(text);
        assertThat(m.find()).as("'%s: ...' in:\n%s", name, text).isTrue();
        return m.group(1);
    }

    @Test
    void tokensAndNodesThroughTheirWholeLife() throws Exception {
        // a single-use token, human form: the secret on its own line, once
        Run created = weft("token", "create", "--tags", "gateway,edge", "--expires", "1h");
        assertThat(created.code()).as(created.err()).isZero();
        String secret = field(created.out(), "token");
        String tokenId = field(created.out(), "id");
        assertThat(created.out()).contains("uses: 1\n", "tags: edge,gateway\n", "ephemeral: no\n");
        assertThat(field(created.out(), "expires")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        // a reusable one, JSON form: the API's object, secret included
        Run createdJson = weft("token", "create", "--uses", "3", "--expires", "7d", "--ephemeral", "--json");
        assertThat(createdJson.code()).as(createdJson.err()).isZero();
        JsonNode reusable = createdJson.json();
        assertThat(reusable.path("secret").asText()).isNotBlank();
        assertThat(reusable.path("reusable").asBoolean()).isTrue();
        assertThat(reusable.path("usesLeft").asInt()).isEqualTo(3);
        assertThat(reusable.path("ephemeral").asBoolean()).isTrue();
        String reusableId = reusable.path("id").asText();

        // the list shows both, never a secret
        Run list = weft("token", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).startsWith("ID ").contains(tokenId, reusableId, "edge,gateway")
                .doesNotContain(secret, reusable.path("secret").asText());
        Run listJson = weft("token", "list", "--json");
        assertThat(listJson.code()).isZero();
        assertThat(listJson.json().findValues("secret")).isEmpty();
        assertThat(listJson.json().findValuesAsText("id")).contains(tokenId, reusableId);

        // a node joins with the first token, over plain HTTP
        PrivateKey key = PrivateKey.generate(new SecureRandom());
        HttpResponse<String> joined = join(secret, key, "cli-lab-node");
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
        String nodeId = JSON.readTree(joined.body()).path("nodeId").asText();
        assertThat(nodeId).isNotBlank();

        // nodes list, human (through WEFT_COORDINATOR and WEFT_ADMIN_CREDENTIAL this time) and JSON
        Run nodes = weftRaw(Map.of("WEFT_COORDINATOR", url,
                "WEFT_ADMIN_CREDENTIAL", Files.readString(credentialFile).strip()), List.of("nodes", "list"));
        assertThat(nodes.code()).as(nodes.err()).isZero();
        assertThat(nodes.out()).startsWith("ID ").contains(nodeId, "cli-lab-node", "100.64.", "edge,gateway");
        JsonNode node = only(weft("nodes", "list", "--json").json(), nodeId);
        assertThat(node.path("publicKey").asText()).isEqualTo(key.publicKey().toBase64());
        assertThat(node.path("tokenId").asText()).isEqualTo(tokenId);
        assertThat(node.path("expired").asBoolean()).isFalse();

        // the single-use token is used up
        assertThat(weft("token", "list").out()).containsPattern("(?m)^" + Pattern.quote(tokenId) + " +used up ");

        // expire: kept, marked expired
        Run expire = weft("nodes", "expire", nodeId);
        assertThat(expire.code()).as(expire.err()).isZero();
        assertThat(expire.out()).isEqualTo("node " + nodeId + " expired\n");
        assertThat(only(weft("nodes", "list", "--json").json(), nodeId).path("expired").asBoolean()).isTrue();
        assertThat(weft("nodes", "list").out()).containsPattern(Pattern.quote(nodeId) + " .* expired ");

        // delete: gone; a second delete is the coordinator's 404 on one line
        Run delete = weft("nodes", "delete", nodeId, "--json");
        assertThat(delete.code()).as(delete.err()).isZero();
        assertThat(delete.json().path("deleted").asBoolean()).isTrue();
        assertThat(weft("nodes", "list", "--json").json().findValuesAsText("id")).doesNotContain(nodeId);
        Run again = weft("nodes", "delete", nodeId);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("weft: nodes delete: 404 ").doesNotContain("\n\n");
        assertThat(again.err().lines()).hasSize(1);

        // revoke: the token is gone and joins with it are refused
        Run revoke = weft("token", "revoke", reusableId);
        assertThat(revoke.code()).as(revoke.err()).isZero();
        assertThat(revoke.out()).isEqualTo("token " + reusableId + " revoked\n");
        assertThat(weft("token", "list", "--json").json().findValuesAsText("id")).doesNotContain(reusableId);
        assertThat(join(reusable.path("secret").asText(), PrivateKey.generate(new SecureRandom()), "late").statusCode())
                .isEqualTo(401);
        Run revokeAgain = weft("token", "revoke", reusableId);
        assertThat(revokeAgain.code()).isEqualTo(1);
        assertThat(revokeAgain.err()).startsWith("weft: token revoke: 404 ");
    }

    private static JsonNode only(JsonNode nodes, String id) {
        List<JsonNode> found = new ArrayList<>();
        nodes.forEach(n -> {
            if (id.equals(n.path("id").asText())) {
                found.add(n);
            }
        });
        assertThat(found).as("node %s in %s", id, nodes).hasSize(1);
        return found.get(0);
    }

    @Test
    void wrongCredentialIsTheCoordinators401OnOneLine() throws Exception {
        Path wrong = Files.writeString(work.resolve("wrong.credential"), "not-the-admin-credential\n");
        Run r = weftRaw(Map.of(), List.of("token", "create", "--coordinator", url, "--credential-file", wrong.toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("weft: token create: 401 Unauthorized: a valid credential is required");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).doesNotContain("not-the-admin-credential");
    }

    @Test
    void noCredentialSaysWhatWasTried() throws Exception {
        Run r = weftRaw(Map.of(), List.of("nodes", "list", "--coordinator", url));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("weft: nodes list: no admin credential: tried --credential-file (not given), "
                + "$WEFT_ADMIN_CREDENTIAL (not set) and " + work.resolve("weft-data/admin.credential"));
    }

    @Test
    void noCoordinatorIsOneLineNamingTheUrl() throws Exception {
        String nobody = "http://127.0.0.1:" + CoordinatorProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("WEFT_ADMIN_CREDENTIAL", "whatever");
        Run r = weftRaw(env, List.of("nodes", "list", "--coordinator", nobody));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("weft: nodes list: cannot reach the coordinator at " + nobody
                + ": connection refused (is it running? see --coordinator)\n");
    }

    @Test
    void badDurationIsAUsageError() throws Exception {
        Run r = weft("token", "create", "--expires", "soon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("weft: token create: Invalid value for option '--expires': 'soon' is not a duration");
    }
}
