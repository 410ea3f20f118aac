package net.weft.labs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.weft.labs.metrics.DocumentedMetrics.Metric;
import org.junit.jupiter.api.Test;

/**
 * Without root: the README's metric tables parse and follow the naming rules (issue 7: {@code weft_*}, base
 * units in the name, counters end in {@code _total} and gauges do not), and the comparison the lab makes with
 * a scrape finds every kind of disagreement, in both directions.
 */
class MetricsDocumentationTest {

    static final Path README = MetricsDocumentationLabTest.repoRoot().resolve("README.md");

    @Test
    void theReadmeDocumentsCoordinatorAndNodeMetricsByTheNamingRules() {
        Map<String, List<Metric>> tables = DocumentedMetrics.read(README);
        assertThat(tables).containsKeys(MetricsDocumentationLabTest.COORDINATOR_TABLE, MetricsDocumentationLabTest.NODE_TABLE);
        List<Metric> all = tables.values().stream().flatMap(List::stream).toList();
        assertThat(tables.get(MetricsDocumentationLabTest.COORDINATOR_TABLE)).extracting(Metric::name)
                .contains("weft_nodes", "weft_map_push_latency_seconds", "weft_onramp_active_gateway", "weft_onramp_healthy_gateways");
        assertThat(tables.get(MetricsDocumentationLabTest.NODE_TABLE)).extracting(Metric::name)
                .contains("weft_peer_sent_bytes_total", "weft_peer_last_handshake_age_seconds", "weft_node_coordinator_connected");
        for (Metric m : all) {
            assertThat(m.name()).as("metric name").matches("weft_[a-z0-9_]+");
            assertThat(m.type()).as("type of %s", m.name()).isIn("counter", "gauge", "histogram", "summary");
            if (m.type().equals("counter")) {
                assertThat(m.name()).as("a counter's name").endsWith("_total");
            } else {
                assertThat(m.name()).as("a %s's name", m.type()).doesNotEndWith("_total");
            }
            if (!m.unit().isEmpty()) {
                assertThat(m.unit()).as("unit of %s", m.name()).isIn("seconds", "bytes");
                assertThat(m.name()).as("a metric in %s names its unit", m.unit())
                        .containsPattern("_" + m.unit() + "(_total|_max)?$");
            }
            assertThat(m.name()).as("no unit but a base unit").doesNotContainPattern("_(milliseconds|ms|kb|mb|kib|mib)(_|$)");
            assertThat(m.labels()).as("labels of %s", m.name()).allMatch(l -> l.matches("[a-z][a-z_]*"))
                    .doesNotContain("endpoint", "address", "le", "quantile");
        }
    }

    @Test
    void theComparisonFindsMissingExtraMistypedAndMislabelledMetrics() {
        List<Metric> documented = List.of(
                new Metric("weft_a_total", "counter", Set.of("x"), ""),
                new Metric("weft_b", "gauge", Set.of(), ""),
                new Metric("weft_c_seconds", "histogram", Set.of(), "seconds"),
                new Metric("weft_d", "gauge", Set.of("y"), ""),
                new Metric("weft_e", "gauge", Set.of(), ""));
        Exposition scraped = Exposition.parse("""
                # TYPE weft_a counter
                weft_a_total{x="1"} 3.0
                # TYPE weft_b untyped
                weft_b 1.0
                # TYPE weft_c_seconds histogram
                weft_c_seconds_bucket{le="0.1"} 1.0
                weft_c_seconds_bucket{le="+Inf"} 2.0
                weft_c_seconds_count 2.0
                weft_c_seconds_sum 0.3
                # TYPE weft_d gauge
                weft_d{y="a,b\\"c",z="2"} NaN
                # TYPE weft_f_total counter
                weft_f_total 0.0
                # TYPE jvm_x gauge
                jvm_x 1.0
                """);
        assertThat(scraped.value("weft_d", Map.of("y", "a,b\"c", "z", "2"))).isNaN();
        assertThat(DocumentedMetrics.mismatches(documented, scraped)).containsExactlyInAnyOrder(
                "weft_b: documented as gauge, exposed as untyped",
                "weft_d: documented with labels [y], exposed with [y, z]",
                "weft_e: documented, not exposed",
                "weft_f_total: exposed (counter []), not documented");
    }

    @Test
    void tablesAreFoundByHeadingAndColumnName() {
        Map<String, List<Metric>> tables = DocumentedMetrics.parse("""
                # X
                ## Metrics
                text
                ### One
                | type | metric | meaning | labels |
                |---|---|---|---|
                | gauge | `weft_one` | the one | `a`, `b` |
                ### Two
                | metric | type | labels | unit | meaning |
                |---|---|---|---|---|
                | `weft_two_seconds` | gauge | | seconds | two |
                ## Later
                ### Three
                | metric | type | labels | meaning |
                |---|---|---|---|
                | `weft_three` | gauge | | not in the section |
                """);
        assertThat(tables).containsOnlyKeys("One", "Two");
        assertThat(tables.get("One")).containsExactly(new Metric("weft_one", "gauge", Set.of("a", "b"), ""));
        assertThat(tables.get("Two")).containsExactly(new Metric("weft_two_seconds", "gauge", Set.of(), "seconds"));
    }
}
