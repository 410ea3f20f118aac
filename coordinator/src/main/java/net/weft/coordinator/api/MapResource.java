package net.weft.coordinator.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.weft.coordinator.auth.Caller;
import net.weft.coordinator.auth.NodeRoute;
import net.weft.coordinator.service.MapDistributor;
import net.weft.coordinator.service.NetworkService;
import net.weft.coordinator.service.WeftException;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.wire.Protocol;

/** Node routes: the node is the one its credential names, never one named in a request. */
@Path("/api/v1")
@NodeRoute
public class MapResource {

    @Inject
    Caller caller;

    @Inject
    MapDistributor maps;

    @Inject
    NetworkService network;

    @Context
    HttpServerRequest http;

    /** The node's current map, with its version. */
    @GET
    @Path("/map")
    @Produces(MediaType.APPLICATION_JSON)
    public NetworkMap map() {
        return maps.mapFor(caller.nodeId());
    }

    /**
     * The node's map stream (server-sent events): event {@code full} with the whole map unless {@code since}
     * is the current version, then an event {@code delta} per change; each event's id is the version it brings.
     */
    @GET
    @Path("/map/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@QueryParam("since") Long since, @Context SseEventSink sink, @Context Sse sse) {
        maps.connect(caller.nodeId(), since, new SseMapSink(sink, sse));
    }

    /** The node is alive; it stays online for {@code leaseSeconds}. */
    @POST
    @Path("/heartbeat")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> heartbeat() {
        Duration lease = network.heartbeat(caller.nodeId());
        return Map.of("nodeId", caller.nodeId(), "leaseSeconds", lease.toSeconds());
    }

    /** The node's endpoints, on-ramp health and per-peer counters; a refused report changes nothing. */
    @POST
    @Path("/report")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> report(NodeReport report) {
        if (report == null) {
            throw new WeftException(WeftException.Kind.INVALID, "a JSON body is required");
        }
        if (!Protocol.isSupported(report.protocolVersion())) {
            throw new WeftException(WeftException.Kind.INVALID, "protocolVersion " + report.protocolVersion() + " is not supported");
        }
        network.report(caller.nodeId(), report.endpoints(), report.health(), report.peers(), Sources.of(http));
        return Map.of("nodeId", caller.nodeId(), "endpoints", report.endpoints() == null ? List.of() : report.endpoints(),
                "healthReports", report.health() == null ? 0 : report.health().size(),
                "peerReports", report.peers() == null ? 0 : report.peers().size());
    }
}
