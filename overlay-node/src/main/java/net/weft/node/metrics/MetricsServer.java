package net.weft.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import net.weft.crypto.Clock;
import net.weft.node.device.Device;

/**
 * The Prometheus endpoint of a node: {@code GET /metrics} in the text exposition format, served by
 * the JDK's HTTP server on one small thread. Meant for a loopback address (the default), since the
 * endpoint has no authentication. JVM meters come with it.
 */
public final class MetricsServer implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** The devices whose per-peer meters each scrape refreshes; written rarely, read per scrape. */
    private final List<DeviceMetrics> devices = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;

    /** A server for {@code address}, serving once {@link #start()} is called. */
    public MetricsServer(InetSocketAddress address) throws IOException {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        server = HttpServer.create(address, 16);
        executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("weft-metrics").daemon(true).unstarted(r));
        server.setExecutor(executor);
        server.createContext("/metrics", this::scrape);
        server.createContext("/", exchange -> answer(exchange, 404, "text/plain", "see /metrics\n"));
    }

    /** Adds {@code device}'s meters. */
    public DeviceMetrics add(Device device, Clock clock) {
        DeviceMetrics m = new DeviceMetrics(device, registry, clock);
        devices.add(m);
        return m;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void start() {
        server.start();
    }

    /** The address actually bound (port 0 resolves to a free port). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void scrape(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "text/plain", "GET only\n");
            return;
        }
        for (DeviceMetrics d : devices) {
            d.refresh();
        }
        answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        gc.close();
        registry.close();
    }
}
