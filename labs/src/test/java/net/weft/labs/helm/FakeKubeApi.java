package net.weft.labs.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a Kubernetes API server for the chart's {@code lookup} calls: core v1 discovery and
 * {@code GET} of Secrets, which are absent unless a test puts one. helm-java renders templates in a mode
 * that still talks to the cluster for {@code lookup} (the {@code helm} command's {@code template} does not),
 * so without a server here the rendering would try {@code localhost:8080}, where anything may listen.
 *
 * <p>One server per test JVM, on a free loopback port; it writes a kubeconfig naming itself to the file
 * {@code $KUBECONFIG} names (labs/pom.xml sets it for surefire), the one the Helm library reads.
 */
final class FakeKubeApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET = Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/?]+)");

    private static FakeKubeApi shared;

    private final HttpServer server;
    /** Secrets by "namespace/name": their base64 data. Tests put them; the server's thread reads them. */
    private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    /** Request paths in arrival order, for tests that check what the chart looked up. */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private FakeKubeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The server, started and named in {@code $KUBECONFIG} on first use, with no Secrets and no requests seen. */
    static synchronized FakeKubeApi shared() {
        if (shared == null) {
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null || kubeconfig.isBlank()) {
                throw new IllegalStateException("KUBECONFIG is not set: run the Helm tests through Maven (labs/pom.xml sets "
                        + "it), or the chart's lookup calls go to whatever listens on localhost:8080");
            }
            try {
                shared = new FakeKubeApi();
                shared.writeKubeconfig(Path.of(kubeconfig));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the fake Kubernetes API", e);
            }
        }
        shared.secrets.clear();
        shared.requests.clear();
        return shared;
    }

    /** Makes {@code namespace/name} exist with {@code data} (values base64, as the API holds them). */
    void putSecret(String namespace, String name, Map<String, String> data) {
        secrets.put(namespace + "/" + name, Map.copyOf(data));
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    private void writeKubeconfig(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String server = "http://" + this.server.getAddress().getAddress().getHostAddress() + ":" + this.server.getAddress().getPort();
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: %s
                contexts:
                  - name: fake
                    context:
                      cluster: fake
                      user: fake
                current-context: fake
                users:
                  - name: fake
                    user: {}
                """.formatted(server), StandardCharsets.UTF_8);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            if (!"GET".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, status(405, "MethodNotAllowed", "the fake API only reads"));
                return;
            }
            Matcher secret = SECRET.matcher(path);
            if (path.equals("/api/v1")) {
                reply(exchange, 200, Map.of("kind", "APIResourceList", "apiVersion", "v1", "groupVersion", "v1",
                        "resources", List.of(Map.of("name", "secrets", "singularName", "secret", "namespaced", true,
                                "kind", "Secret", "verbs", List.of("get", "list")))));
            } else if (path.equals("/api")) {
                reply(exchange, 200, Map.of("kind", "APIVersions", "versions", List.of("v1"),
                        "serverAddressByClientCIDRs", List.of()));
            } else if (path.equals("/apis")) {
                reply(exchange, 200, Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", List.of()));
            } else if (path.equals("/version")) {
                reply(exchange, 200, Map.of("major", "1", "minor", "33", "gitVersion", "v1.33.0"));
            } else if (secret.matches() && secrets.containsKey(secret.group(1) + "/" + secret.group(2))) {
                reply(exchange, 200, Map.of("kind", "Secret", "apiVersion", "v1", "type", "Opaque",
                        "metadata", Map.of("name", secret.group(2), "namespace", secret.group(1)),
                        "data", secrets.get(secret.group(1) + "/" + secret.group(2))));
            } else {
                reply(exchange, 404, status(404, "NotFound", path + " not found"));
            }
        }
    }

    private static Map<String, Object> status(int code, String reason, String message) {
        return Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", reason, "code", code,
                "message", message);
    }

    private static void reply(HttpExchange exchange, int code, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
