package net.weft.coordinator.service;

import static io.restassured.RestAssured.given;
import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The coordinator's series at /q/metrics, each with its Prometheus type. */
@QuarkusTest
class MetricsTest {

    @Test
    void everyCoordinatorSeriesIsScrapedWithItsType() {
        join(token(Map.of()), "metrics-node").then().statusCode(200);
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(text)
                .contains("# TYPE weft_nodes gauge")
                .contains("weft_nodes{state=\"online\"}").contains("weft_nodes{state=\"offline\"}")
                .contains("weft_nodes{state=\"expired\"}")
                // the exposition names a counter's family without _total and its sample with it
                .contains("# TYPE weft_joins counter").contains("weft_joins_total{result=\"joined\"}")
                // every result has its series from the start, so rate() sees the first refusal too
                .contains("weft_joins_total{result=\"invalid\"}").contains("weft_joins_total{result=\"token_refused\"}")
                .contains("weft_joins_total{result=\"rate_limited\"}")
                .contains("# TYPE weft_tokens gauge").contains("weft_tokens ")
                .contains("# TYPE weft_map_pushes counter").contains("weft_map_pushes_total ")
                .contains("# TYPE weft_map_push_latency_seconds histogram")
                .contains("weft_map_push_latency_seconds_bucket{le=")
                .contains("# TYPE weft_cluster_members gauge").contains("weft_cluster_members 1.0");
    }
}
