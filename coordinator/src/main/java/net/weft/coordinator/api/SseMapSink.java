package net.weft.coordinator.api;

import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import net.weft.coordinator.service.MapSink;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.wire.MapUpdate;

/** A map stream as server-sent events, each update's canonical JSON as the data. Sends never block. */
final class SseMapSink implements MapSink {

    private final SseEventSink sink;
    private final Sse sse;
    /** Set when a send failed: the client is gone. */
    private volatile boolean failed;

    SseMapSink(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    @Override
    public boolean send(MapUpdate update) {
        if (failed || sink.isClosed()) {
            return false;
        }
        sink.send(sse.newEventBuilder()
                        .name(update.full() != null ? "full" : "delta")
                        .id(Long.toString(update.toVersion()))
                        .data(new String(CanonicalJson.toBytes(update), StandardCharsets.UTF_8))
                        .build())
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        failed = true;
                    }
                });
        return true;
    }

    @Override
    public void close() {
        sink.close();
    }
}
