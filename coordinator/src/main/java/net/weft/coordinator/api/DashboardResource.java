package net.weft.coordinator.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import net.weft.coordinator.auth.AdminRoute;
import net.weft.coordinator.auth.Caller;
import net.weft.coordinator.auth.DashboardRoute;
import net.weft.coordinator.service.DashboardService;
import net.weft.coordinator.service.DashboardView;

/** Admin: what the dashboard shows, at once and live. */
@Path("/api/v1")
@AdminRoute
@DashboardRoute
public class DashboardResource {

    @Inject
    DashboardService dashboard;

    @Inject
    Caller caller;

    /** Nodes, links, on-ramps with their active gateway and health, tokens and members, now. */
    @GET
    @Path("/topology")
    @Produces(MediaType.APPLICATION_JSON)
    public DashboardView.Snapshot topology() {
        return dashboard.snapshot();
    }

    /**
     * The same, live (server-sent events): event {@code snapshot} first, then an event {@code delta} whenever
     * something changed; the stream ends with the dashboard session it was opened with.
     */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse) {
        dashboard.connect(new SseDashboardSink(sink, sse, caller.sessionKey()));
    }
}
