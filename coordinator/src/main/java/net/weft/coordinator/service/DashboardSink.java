package net.weft.coordinator.service;

/** Where the dashboard's live updates go: one browser's event stream. Sends never block. */
public interface DashboardSink {

    /**
     * Sends one event ({@code snapshot} or {@code delta}) with its JSON text as the data.
     *
     * @return false when the client is gone; the stream is then dropped
     */
    boolean send(String event, long id, String json);

    /** Sends a comment line only, so idle proxies keep the stream and a gone client is noticed. */
    boolean keepAlive();

    /**
     * The key of the dashboard session the stream was opened with, or null when it was opened with the admin
     * credential itself; the stream ends with its session.
     */
    String sessionKey();

    void close();
}
