package net.weft.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.wire.MapUpdate;

/** A node's map stream, read on a virtual thread: each event's data, in order. */
final class MapStreamReader implements AutoCloseable {

    /** Events read and not yet taken; filled by the reader thread, taken by the test. */
    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    MapStreamReader(URL base, String credential) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v1/map/stream"))
                .header("Authorization", "Bearer " + credential).header("Accept", "text/event-stream").build();
        response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                    }
                }
            } catch (java.io.IOException e) {
                // closed by the test
            }
        });
    }

    /** The next update, waiting at most {@code seconds}. */
    MapUpdate next(int seconds) throws Exception {
        String s = data.poll(seconds, TimeUnit.SECONDS);
        assertThat(s).as("a map update within %d s", seconds).isNotNull();
        return CanonicalJson.fromBytes(s.getBytes(StandardCharsets.UTF_8), MapUpdate.class);
    }

    @Override
    public void close() throws Exception {
        response.body().close();
        reader.interrupt();
    }
}
