package net.weft.coordinator.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.weft.coordinator.auth.AdminRoute;
import net.weft.coordinator.service.NetworkService;

/** Admin: the network spec, topology's YAML documents. */
@Path("/api/v1/spec")
@AdminRoute
public class SpecResource {

    static final String YAML = "application/yaml";

    @Inject
    NetworkService network;

    /** The spec in force (204 when none is set). */
    @GET
    @Produces({YAML, MediaType.TEXT_PLAIN})
    public Response get() {
        return network.spec().map(s -> Response.ok(s, YAML).build()).orElseGet(() -> Response.noContent().build());
    }

    /** Replaces the spec; an invalid one is refused (400, each problem listed) and the running spec kept. */
    @PUT
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    public Response put(String yaml) {
        network.putSpec(yaml);
        return Response.noContent().build();
    }
}
