package net.weft.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.wire.JoinRequest;
import net.weft.topology.wire.JoinResponse;
import net.weft.topology.wire.MapUpdate;

/**
 * The node's side of the coordinator API (see the coordinator's {@code api} package for the routes): join,
 * the map stream (server-sent events), heartbeats and reports. It talks to one coordinator at a time and
 * moves to the next in its list when that one does not answer. The node credential goes only into the
 * {@code Authorization} header.
 */
public final class ControlClient {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final List<URI> coordinators;
    private final HttpClient http;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicReference<InputStream> openStream = new AtomicReference<>();
    private volatile String credential;

    /**
     * @param coordinators base URLs, without a trailing slash
     */
    public ControlClient(List<URI> coordinators, HttpClient http) {
        if (coordinators.isEmpty()) {
            throw new IllegalArgumentException("no coordinator");
        }
        this.coordinators = List.copyOf(coordinators);
        this.http = Objects.requireNonNull(http, "http");
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The coordinator in use. */
    public URI coordinator() {
        return coordinators.get(Math.floorMod(current.get(), coordinators.size()));
    }

    /** Moves to the next coordinator of the list (after a failure). */
    public void next() {
        current.incrementAndGet();
    }

    public void credential(String nodeCredential) {
        this.credential = nodeCredential;
    }

    /** {@code POST /api/v1/join}: tries each coordinator once while they fail to answer. */
    public JoinResponse join(JoinRequest request) throws ControlException {
        ControlException last = null;
        for (int i = 0; i < coordinators.size(); i++) {
            try {
                JsonNode answer = send("POST", "/api/v1/join", CanonicalJson.toBytes(request), null);
                return CanonicalJson.mapper().treeToValue(answer, JoinResponse.class);
            } catch (ControlException e) {
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
                next();
            } catch (IOException e) {
                throw new ControlException("the join answer from " + coordinator() + " is not valid: " + e.getMessage(), 200, false);
            }
        }
        throw last;
    }

    /** {@code POST /api/v1/heartbeat}; returns the lease in seconds. */
    public long heartbeat() throws ControlException {
        JsonNode answer = send("POST", "/api/v1/heartbeat", null, credential);
        return answer == null ? 0 : answer.path("leaseSeconds").asLong(0);
    }

    /** {@code POST /api/v1/report} with {@code body} (endpoints, health, peers). */
    public void report(Object body) throws ControlException {
        send("POST", "/api/v1/report", CanonicalJson.toBytes(body), credential);
    }

    /**
     * Follows {@code GET /api/v1/map/stream?since=VERSION} until the stream ends or fails, handing each update
     * to {@code sink} on this thread. {@link #closeStream()} ends it from another thread.
     *
     * @param onOpen runs once the coordinator accepted the stream
     */
    public void stream(long since, Runnable onOpen, Consumer<MapUpdate> sink) throws ControlException {
        URI uri = URI.create(coordinator() + "/api/v1/map/stream" + (since > 0 ? "?since=" + since : ""));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + credential)
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted", 0, false);
        }
        if (response.statusCode() != 200) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw refused(response.statusCode(), text);
        }
        InputStream body = response.body();
        openStream.set(body);
        onOpen.run();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        MapUpdate update;
                        try {
                            update = CanonicalJson.fromBytes(data.toString().getBytes(StandardCharsets.UTF_8), MapUpdate.class);
                        } catch (IOException | IllegalArgumentException e) {
                            throw new ControlException("a map update from " + coordinator() + " is not valid: " + e.getMessage(), 200, true);
                        }
                        sink.accept(update);
                        data.setLength(0);
                    }
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
                }
                // "event:", "id:" and ":" comments carry nothing the data does not
            }
        } catch (IOException e) {
            throw new ControlException("the map stream from " + coordinator() + " broke: " + e.getMessage(), 0, true);
        } finally {
            openStream.set(null);
        }
        throw new ControlException("the map stream from " + coordinator() + " ended", 0, true);
    }

    /** Ends a running {@link #stream} (it then throws), e.g. when heartbeats to its coordinator fail. */
    public void closeStream() {
        InputStream in = openStream.getAndSet(null);
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }

    private JsonNode send(String method, String path, byte[] body, String bearer) throws ControlException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(coordinator() + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted", 0, false);
        }
        int status = response.statusCode();
        byte[] text = response.body();
        if (status >= 200 && status < 300) {
            if (text == null || text.length == 0) {
                return null;
            }
            try {
                return CanonicalJson.mapper().readTree(text);
            } catch (IOException e) {
                throw new ControlException(coordinator() + " answered " + status + " with invalid JSON", status, true);
            }
        }
        throw refused(status, text == null ? "" : new String(text, StandardCharsets.UTF_8));
    }

    private ControlException unreachable(IOException e) {
        String why = e instanceof HttpTimeoutException ? "did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s"
                : "cannot be reached (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        return new ControlException("the coordinator at " + coordinator() + " " + why, 0, true);
    }

    /** A problem detail's {@code detail} (or title) as one line; 5xx, 429 and 503 are worth retrying. */
    private ControlException refused(int status, String body) {
        String detail = null;
        try {
            JsonNode problem = CanonicalJson.mapper().readTree(body);
            detail = problem.path("detail").asText(problem.path("title").asText(null));
        } catch (IOException | RuntimeException ignored) {
            // not a problem detail
        }
        String message = coordinator() + " answered " + status + (detail == null || detail.isBlank() ? "" : ": " + detail);
        return new ControlException(message, status, status >= 500 || status == 429 || status == 408);
    }
}
