package net.weft.coordinator.api;

import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import net.weft.coordinator.service.DashboardSink;

/** A dashboard stream as server-sent events. Sends never block; a failed send marks the client gone. */
final class SseDashboardSink implements DashboardSink {

    private final SseEventSink sink;
    private final Sse sse;
    private final String sessionKey;
    /** Set when a send failed: the client is gone. */
    private volatile boolean failed;

    SseDashboardSink(SseEventSink sink, Sse sse, String sessionKey) {
        this.sink = sink;
        this.sse = sse;
        this.sessionKey = sessionKey;
    }

    @Override
    public boolean send(String event, long id, String json) {
        if (failed || sink.isClosed()) {
            return false;
        }
        watch(sink.send(sse.newEventBuilder().name(event).id(Long.toString(id)).data(json).build()));
        return true;
    }

    @Override
    public boolean keepAlive() {
        if (failed || sink.isClosed()) {
            return false;
        }
        watch(sink.send(sse.newEventBuilder().comment("keep-alive").build()));
        return true;
    }

    private void watch(java.util.concurrent.CompletionStage<?> sent) {
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                failed = true;
            }
        });
    }

    @Override
    public String sessionKey() {
        return sessionKey;
    }

    @Override
    public void close() {
        sink.close();
    }
}
