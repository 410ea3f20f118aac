package net.weft.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;

/**
 * The coordinator's admin API over HTTP: one request per call, the admin credential as a bearer token, and
 * every failure turned into one line ({@link AdminException}). The credential goes only into the
 * {@code Authorization} header, never into a message.
 */
final class AdminClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String credential;
    private final HttpClient http;

    AdminClient(URI base, String credential, HttpClient http) {
        this.base = base;
        this.credential = credential;
        this.http = http;
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends a request and returns the JSON answer, or null for an answer without a body (204).
     *
     * @param body null for none
     */
    JsonNode send(String method, String path, JsonNode body) throws AdminException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + credential);
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted");
        } catch (IOException e) {
            throw new AdminException(unreachable(base, e));
        }
        int status = response.statusCode();
        String text = response.body();
        if (status >= 200 && status < 300) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new AdminException("the coordinator at " + base + " answered " + status
                        + " with a body that is not JSON");
            }
        }
        throw new AdminException(problemLine(status, text));
    }

    /** One line for a request that never got an answer, naming the URL. */
    static String unreachable(URI base, IOException e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof HttpConnectTimeoutException) {
                return "cannot reach the coordinator at " + base + ": connection timed out";
            }
            if (cause instanceof ConnectException) {
                return "cannot reach the coordinator at " + base
                        + ": connection refused (is it running? see --coordinator)";
            }
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return "cannot reach the coordinator at " + base + ": unknown host";
            }
            if (cause instanceof HttpTimeoutException) {
                return "the coordinator at " + base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + "s";
            }
            cause = cause.getCause();
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "cannot reach the coordinator at " + base + ": " + why;
    }

    /**
     * One line for an RFC 7807 problem detail: {@code 401 Unauthorized: detail}. A body that is not a
     * problem detail gives the status and its reason only.
     */
    static String problemLine(int status, String body) {
        String title = null;
        String detail = null;
        String problems = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode n = JSON.readTree(body);
                if (n != null && n.isObject()) {
                    title = text(n.get("title"));
                    detail = text(n.get("detail"));
                    JsonNode list = n.get("problems");
                    if (list != null && list.isArray() && !list.isEmpty()) {
                        StringBuilder sb = new StringBuilder();
                        for (JsonNode p : list) {
                            sb.append(sb.isEmpty() ? "" : "; ").append(p.asText());
                        }
                        problems = sb.toString();
                    }
                }
            } catch (JsonProcessingException e) {
                // not a problem detail: status and reason only
            }
        }
        StringBuilder line = new StringBuilder().append(status).append(' ')
                .append(title != null ? title : REASONS.getOrDefault(status, "Error"));
        if (detail != null && !detail.equals(title)) {
            line.append(": ").append(detail);
        }
        if (problems != null) {
            line.append(": ").append(problems);
        }
        return oneLine(line.toString());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText().strip();
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));
}
