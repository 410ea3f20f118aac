package net.weft.coordinator.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import net.weft.coordinator.auth.TokenRoute;
import net.weft.coordinator.service.NetworkService;
import net.weft.coordinator.service.WeftException;
import net.weft.topology.wire.JoinRequest;
import net.weft.topology.wire.JoinResponse;

/** A node joins with a join token. */
@Path("/api/v1/join")
@TokenRoute
public class JoinResource {

    @Inject
    NetworkService network;

    @Context
    HttpServerRequest http;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public JoinResponse join(JoinRequest request) {
        if (request == null) {
            throw new WeftException(WeftException.Kind.TOKEN_REFUSED, "no body");
        }
        return network.join(request, Sources.of(http));
    }
}
