package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.B4;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.weft.node.metrics.MetricsServer;
import org.junit.jupiter.api.Test;

/**
 * The node's Prometheus endpoint, scraped over HTTP while two devices exchange traffic: every
 * documented {@code weft_*} series is there with its type and labels and the device's own figures,
 * and a peer's series go away with the peer.
 */
class MetricsEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void scrapeShowsPeerTrafficHandshakesDropsAndJvm() throws Exception {
        try (TwoDevices t = new TwoDevices();
             MetricsServer metrics = new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            metrics.add(t.a.device, t.clock);
            metrics.start();
            byte[] packet = IpPackets.ipv4(A4, B4, 200, 1);
            assertThat(t.transfer(t.a, t.b, packet)).isEqualTo(packet);
            t.a.inject(IpPackets.ipv4(A4, "100.64.9.9", 20, 2)); // no peer owns it: dropped as no_route
            t.pump(() -> t.a.device.counters().drops(DropReason.NO_ROUTE) == 1);
            t.clock.advance(Duration.ofSeconds(7));

            String text = scrape(metrics);
            String iface = t.a.device.name();
            String peer = t.b.publicKey().toBase64();
            PeerStatus status = t.a.peer(t.b.publicKey());
            String peerLabels = "interface=\"" + iface + "\",peer=\"" + peer + "\"";

            assertThat(text).contains("# TYPE weft_peer_sent_bytes_total counter")
                    .contains("# TYPE weft_peer_received_bytes_total counter")
                    .contains("# TYPE weft_peer_last_handshake_age_seconds gauge")
                    .contains("# TYPE weft_handshakes_total counter")
                    .contains("# TYPE weft_packets_dropped_total counter")
                    .contains("# TYPE weft_peers gauge")
                    .contains("# TYPE weft_forwarded_packets_total counter")
                    .contains("# TYPE weft_forwarded_bytes_total counter");
            assertThat(value(text, "weft_peer_sent_bytes_total{" + peerLabels + "}")).isEqualTo(status.txBytes());
            assertThat(value(text, "weft_peer_received_bytes_total{" + peerLabels + "}")).isEqualTo(status.rxBytes());
            assertThat(status.txBytes()).isPositive();
            assertThat(value(text, "weft_peer_last_handshake_age_seconds{" + peerLabels + "}")).isBetween(7.0, 8.0);
            assertThat(value(text, "weft_handshakes_total{interface=\"" + iface + "\",result=\"completed\"}")).isEqualTo(1.0);
            assertThat(value(text, "weft_packets_dropped_total{interface=\"" + iface + "\",reason=\"no_route\"}")).isEqualTo(1.0);
            assertThat(value(text, "weft_peers{interface=\"" + iface + "\"}")).isEqualTo(1.0);
            // A is no relay: nothing forwarded
            assertThat(value(text, "weft_forwarded_packets_total{interface=\"" + iface + "\"}")).isZero();
            assertThat(value(text, "weft_forwarded_bytes_total{interface=\"" + iface + "\"}")).isZero();
            assertThat(text).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");

            t.a.device.apply(TwoDevices.peersOnly(TwoDevices.removePeer(t.b.publicKey())));
            String after = scrape(metrics);
            assertThat(after).doesNotContain(peer);
            assertThat(value(after, "weft_peers{interface=\"" + iface + "\"}")).isEqualTo(0.0);
        }
    }

    @Test
    void onlyGetIsServed() throws Exception {
        try (MetricsServer metrics = new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            metrics.start();
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri(metrics, "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(uri(metrics, "/admin")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    private static String scrape(MetricsServer metrics) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(metrics, "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    private static URI uri(MetricsServer metrics, String path) {
        return URI.create("http://127.0.0.1:" + metrics.address().getPort() + path);
    }

    /** The sample value of the series written exactly as {@code series}. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
