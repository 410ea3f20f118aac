package net.weft.coordinator.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.weft.coordinator.auth.AdminRoute;
import net.weft.coordinator.auth.DashboardRoute;
import net.weft.coordinator.service.NetworkService;

/** Admin: the joined nodes. */
@Path("/api/v1/nodes")
@AdminRoute
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {

    @Inject
    NetworkService network;

    @GET
    @DashboardRoute
    public List<NodeView> list() {
        return network.nodes().stream().map(NodeView::of).toList();
    }

    /** Removes a node from the network; its addresses are freed. */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        network.delete(id);
        return Response.noContent().build();
    }

    /** A node's latest per-peer counters, as it reported them (none when it has not lately). */
    @GET
    @DashboardRoute
    @Path("/{id}/peers")
    public PeersView peers(@PathParam("id") String id) {
        return PeersView.of(id, network.peers(id));
    }

    /** Expires a node: out of every map, its credential refused, its addresses kept until deleted. */
    @POST
    @Path("/{id}/expire")
    public Response expire(@PathParam("id") String id) {
        network.expire(id);
        return Response.noContent().build();
    }
}
