package net.weft.labs.coordinator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A node's map stream as a client reads it: server-sent events ({@code event}, {@code id}, {@code data}
 * lines, a blank line ends an event), collected by a daemon thread until {@link #close()}.
 */
final class MapStream implements AutoCloseable {

    /** One event: its name ({@code full} or {@code delta}), its id (the version it brings) and its data. */
    record Event(String name, long version, String data) {
    }

    /** Events received so far; guarded by itself. */
    private final List<Event> events = new ArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final Thread reader;
    /** Why the stream ended, when it did; null while it is open. */
    private volatile String ended;
    private volatile int status;

    MapStream(URI uri, String credential, HttpClient http) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + credential)
                .header("Accept", "text/event-stream").GET().build();
        response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        reader = Thread.ofPlatform().daemon().name("map-stream " + uri.getPort()).start(this::read);
    }

    private void read() {
        try {
            HttpResponse<Stream<String>> r = response.join();
            status = r.statusCode();
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = r.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (id != null) {
                            synchronized (events) {
                                events.add(new Event(name, Long.parseLong(id.strip()), data.toString()));
                            }
                        }
                        name = null;
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3);
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                }
            }
            ended = "ended by the server (status " + status + ")";
        } catch (RuntimeException e) {
            ended = "failed: " + e;
        }
    }

    int status() {
        return status;
    }

    String ended() {
        return ended;
    }

    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The version of the last event, or -1 before the first. */
    long lastVersion() {
        List<Event> all = events();
        return all.isEmpty() ? -1 : all.getLast().version();
    }

    /** Waits until the last event brings {@code version}; fails with what arrived when {@code timeout} passes. */
    void awaitVersion(long version, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (lastVersion() != version) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what + " reaching version " + version
                        + "; stream " + (ended == null ? "open" : ended) + ", events (name@version): " + summary());
            }
            CoordinatorProcess.pause(100);
        }
    }

    String summary() {
        return events().stream().map(e -> e.name() + "@" + e.version()).toList().toString();
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(r -> {
            try {
                r.body().close();
            } catch (RuntimeException ignored) {
                // closing a stream the server ended already
            }
        });
        reader.interrupt();
    }
}
