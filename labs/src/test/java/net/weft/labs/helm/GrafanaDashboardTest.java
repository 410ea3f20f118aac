package net.weft.labs.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code helm/grafana/weft-dashboard.json}: it parses, every query names metrics and labels that exist, and
 * it shows what issue 7 asks for (throughput per peer, handshake age, nodes online, map push latency, the
 * active gateway per on-ramp).
 */
class GrafanaDashboardTest {

    /**
     * The metrics Weft serves, as Prometheus names them, with their labels. From the source: the coordinator's
     * NetworkService ({@code weft_nodes}, {@code weft_tokens}, {@code weft_cluster_members}, {@code weft_joins_total}),
     * MapDistributor ({@code weft_map_pushes_total}, the {@code weft_map_push_latency} timer) and OnRampMetrics
     * ({@code weft_onramp_*}); the node's DeviceMetrics ({@code weft_peer_*}, {@code weft_handshakes_total},
     * {@code weft_packets_dropped_total}, {@code weft_forwarded_*}, {@code weft_peers}) and Agent ({@code weft_node_*}).
     */
    static final Map<String, Set<String>> KNOWN = Map.ofEntries(
            Map.entry("weft_nodes", Set.of("state")),
            Map.entry("weft_joins_total", Set.of("result")),
            Map.entry("weft_tokens", Set.of()),
            Map.entry("weft_cluster_members", Set.of()),
            Map.entry("weft_map_pushes_total", Set.of()),
            Map.entry("weft_map_push_latency_seconds_bucket", Set.of("le")),
            Map.entry("weft_map_push_latency_seconds_count", Set.of()),
            Map.entry("weft_map_push_latency_seconds_sum", Set.of()),
            Map.entry("weft_map_push_latency_seconds_max", Set.of()),
            Map.entry("weft_onramp_active_gateway", Set.of("onramp", "gateway")),
            Map.entry("weft_onramp_healthy_gateways", Set.of("onramp")),
            Map.entry("weft_peer_received_bytes_total", Set.of("interface", "peer")),
            Map.entry("weft_peer_sent_bytes_total", Set.of("interface", "peer")),
            Map.entry("weft_peer_last_handshake_age_seconds", Set.of("interface", "peer")),
            Map.entry("weft_peers", Set.of("interface")),
            Map.entry("weft_handshakes_total", Set.of("interface", "result")),
            Map.entry("weft_packets_dropped_total", Set.of("interface", "reason")),
            Map.entry("weft_forwarded_packets_total", Set.of("interface")),
            Map.entry("weft_forwarded_bytes_total", Set.of("interface")),
            Map.entry("weft_node_coordinator_connected", Set.of()),
            Map.entry("weft_node_map_version", Set.of()),
            Map.entry("weft_node_routes", Set.of()));

    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "namespace", "pod", "service", "container", "endpoint");

    private static final Pattern METRIC = Pattern.compile("\\bweft_[a-z0-9_]+");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");

    private static JsonNode dashboard() throws IOException {
        Path file = Chart.repoRoot().resolve("helm/grafana/weft-dashboard.json");
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Every panel, rows' nested panels included, rows themselves left out. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                p.path("panels").forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Every PromQL text: panel targets and query variables. */
    private static List<String> queries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if ("query".equals(v.path("type").asText())) {
                out.add(v.path("definition").asText());
                out.add(v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText());
            }
        }
        return out;
    }

    @Test
    void theDashboardParsesWithAPrometheusDatasourceVariableUsedByEveryQuery() throws IOException {
        JsonNode d = dashboard();
        assertThat(d.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(d.path("uid").asText()).isNotBlank();
        JsonNode ds = null;
        for (JsonNode v : d.path("templating").path("list")) {
            if ("datasource".equals(v.path("type").asText())) {
                ds = v;
            }
        }
        assertThat(ds).as("a datasource variable").isNotNull();
        assertThat(ds.path("name").asText()).isEqualTo("datasource");
        assertThat(ds.path("query").asText()).isEqualTo("prometheus");

        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s is unique", p.path("id")).isTrue();
        }
        for (JsonNode p : panels(d)) {
            String title = p.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(p.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as(title).isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).as(title).isNotBlank();
                assertThat(t.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            }
        }
        assertNoOverlap(d);
    }

    @Test
    void everyQueriedMetricAndLabelExists() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String q : queries(dashboard())) {
            Set<String> metrics = new TreeSet<>();
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                metrics.add(m.group());
            }
            assertThat(metrics).as("metrics of %s", q).isNotEmpty();
            assertThat(KNOWN.keySet()).as("metrics of %s", q).containsAll(metrics);
            used.addAll(metrics);

            Set<String> labels = new HashSet<>(TARGET_LABELS);
            metrics.forEach(name -> labels.addAll(KNOWN.get(name)));
            List<String> named = new ArrayList<>();
            Matcher g = GROUPING.matcher(q);
            while (g.find()) {
                for (String l : g.group(1).split(",")) {
                    if (!l.isBlank()) {
                        named.add(l.strip());
                    }
                }
            }
            Matcher s = MATCHER.matcher(q);
            while (s.find()) {
                named.add(s.group(1));
            }
            assertThat(labels).as("labels of %s", q).containsAll(named);
        }
        assertThat(used).as("the panels issue 7 asks for").contains(
                "weft_peer_sent_bytes_total", "weft_peer_received_bytes_total", // throughput per peer
                "weft_peer_last_handshake_age_seconds",                          // handshake age
                "weft_nodes",                                                    // nodes online
                "weft_map_push_latency_seconds_bucket",                          // map push latency
                "weft_onramp_active_gateway");                                   // active gateway per on-ramp
    }

    @Test
    void nodesOnlineAndTheActiveGatewayAreQueriedForWhatTheyMean() throws IOException {
        List<String> qs = queries(dashboard());
        assertThat(qs).anyMatch(q -> q.contains("weft_nodes{state=\"online\"}"));
        assertThat(qs).anyMatch(q -> q.contains("weft_onramp_active_gateway") && q.contains("== 1"));
        assertThat(qs).anyMatch(q -> q.contains("histogram_quantile") && q.contains("weft_map_push_latency_seconds_bucket"));
        assertThat(qs).anyMatch(q -> q.contains("rate(weft_peer_sent_bytes_total") && q.contains("peer"));
    }

    /** Panels on the 24-column grid do not cover each other. */
    private static void assertNoOverlap(JsonNode d) {
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            JsonNode g = p.path("gridPos");
            int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertThat(box[0] + box[2]).as("%s fits 24 columns", p.path("title").asText()).isLessThanOrEqualTo(24);
            for (int[] o : boxes) {
                boolean apart = box[0] + box[2] <= o[0] || o[0] + o[2] <= box[0] || box[1] + box[3] <= o[1] || o[1] + o[3] <= box[1];
                assertThat(apart).as("%s overlaps another panel", p.path("title").asText()).isTrue();
            }
            boxes.add(box);
        }
    }
}
