package net.weft.labs.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.weft.crypto.key.PrivateKey;
import net.weft.labs.load.CoordinatorJvm;
import net.weft.labs.postgres.WeftPostgres;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real coordinator, {@code coordinator/BUILD_DIR/quarkus-app/quarkus-run.jar}, as its own JVM, started
 * the way {@code ./weft coordinator} starts it, with its output in a log file; plus the HTTP calls the labs
 * make to it. {@link #stop()} sends SIGTERM, {@link #kill()} SIGKILL; callers kill every process they
 * started in a {@code finally}.
 */
final class CoordinatorProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Hazelcast reaches into the JDK: the same flags as the weft script's coordinator case, and a small heap. */
    private static final List<String> JVM_FLAGS = Stream.concat(CoordinatorJvm.FLAGS.stream(), Stream.of("-Xmx256m"))
            .toList();

    final String name;
    final int httpPort;
    final Path dataDir;
    final Path log;
    private final Process process;

    private CoordinatorProcess(String name, int httpPort, Path dataDir, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.dataDir = dataDir;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts a coordinator on 127.0.0.1:{@code httpPort} with {@code weft.*} settings {@code settings}
     * (without the prefix) and its data directory {@code dataDir}; the log goes beside it.
     */
    static CoordinatorProcess start(String name, int httpPort, Path dataDir, Map<String, String> settings) {
        Path jar = jar();
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(JVM_FLAGS);
        argv.add("-Dquarkus.http.host=127.0.0.1");
        argv.add("-Dquarkus.http.port=" + httpPort);
        argv.add("-Dweft.data-dir=" + dataDir);
        new TreeMap<>(settings).forEach((k, v) -> argv.add("-Dweft." + k + "=" + v));
        argv.add("-jar");
        argv.add(jar.toString());
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new CoordinatorProcess(name, httpPort, dataDir, log, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start coordinator " + name, e);
        }
    }

    /** The packaged coordinator of this build ({@code WEFT_BUILD_DIR}, set by the labs' surefire). */
    static Path jar() {
        String buildDir = System.getenv().getOrDefault("WEFT_BUILD_DIR", "target");
        Path jar = repoRoot().resolve("coordinator").resolve(buildDir).resolve("quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no packaged coordinator at " + jar + ": build it first (mvn -Dweft.buildDir="
                    + buildDir + " -pl coordinator -am install -DskipTests)");
        }
        return jar;
    }

    static Path repoRoot() {
        String root = System.getProperty("weft.repoRoot");
        if (root != null) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return here.getFileName() != null && here.getFileName().toString().equals("labs") ? here.getParent() : here;
    }

    /**
     * PostgreSQL from {@link WeftPostgres#start()}, which fails loudly without Docker unless
     * {@code WEFT_SKIP_DOCKER_TESTS=1}; Docker needs root here, so {@code WEFT_SKIP_ROOT_TESTS=1} skips too
     * when the test is not root (loudly).
     */
    static PostgreSQLContainer postgres(String what) {
        try {
            return WeftPostgres.start();
        } catch (AssertionError e) {
            if ("1".equals(System.getenv("WEFT_SKIP_ROOT_TESTS")) && !net.weft.labs.netns.Shell.isRoot()) {
                System.err.println("\n!!!!!! SKIPPING " + what + " (WEFT_SKIP_ROOT_TESTS=1, not root): " + e.getMessage() + "\n");
                Assumptions.abort("WEFT_SKIP_ROOT_TESTS=1 and not root, so skipped: " + e.getMessage());
            }
            throw e;
        }
    }


    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the labs keep their files: under the module's build directory when surefire says so. */
    static Path labDir(String what) {
        String dir = System.getProperty("weft.lab.dir");
        Path base = dir != null ? Path.of(dir).resolveSibling("coordinator-lab")
                : Path.of(System.getProperty("java.io.tmpdir"), "weft-coordinator-lab");
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, what + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log when the process exits or time runs out. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("coordinator " + name + " exited with " + process.exitValue()
                        + " before it was ready; its log:\n" + logText());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            pause(200);
        }
        throw new AssertionError("coordinator " + name + " not ready within " + timeout + " (last: " + last
                + "); its log:\n" + logText());
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int stop(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("coordinator " + name + " did not stop within " + timeout + " of SIGTERM; its log:\n"
                        + logText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGKILL, and waits (bounded) until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The admin credential this member wrote, if it wrote one. */
    String adminCredentialFile() {
        Path file = dataDir.resolve("admin.credential");
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- HTTP ----

    /** An answer: status and body (JSON when there is one). */
    record Answer(int status, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        Answer expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected " + expected + ", got " + status + ": " + body);
            }
            return this;
        }
    }

    Answer get(String path, String credential) throws IOException {
        return send(request(path, credential).GET());
    }

    Answer delete(String path, String credential) throws IOException {
        return send(request(path, credential).DELETE());
    }

    Answer post(String path, String credential, Object body) throws IOException {
        return send(request(path, credential).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A new token (admin); the creation's answer, secret included. */
    JsonNode createToken(String admin, Map<String, Object> body) throws IOException {
        return post("/api/v1/tokens", admin, body).expect(201).json();
    }

    /** Joins with {@code token} and a fresh key, as wg prints it; the answer whatever its status. */
    Answer join(String token, String hostname) throws IOException {
        return post("/api/v1/join", null, Map.of("protocolVersion", 1, "token", token, "publicKey", newPublicKey(),
                "hostname", hostname, "endpoints", List.of("192.0.2.10:51820")));
    }

    static String newPublicKey() {
        return PrivateKey.generate(RANDOM).publicKey().toBase64();
    }

    private HttpRequest.Builder request(String path, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        return b;
    }

    private static Answer send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A map stream ({@code GET /api/v1/map/stream}) read on a background thread. */
    MapStream openStream(String nodeCredential, Long since) {
        return new MapStream(URI.create(base() + "/api/v1/map/stream" + (since == null ? "" : "?since=" + since)),
                nodeCredential, HTTP);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
