package net.weft.coordinator.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import net.weft.coordinator.service.DashboardService;
import net.weft.coordinator.service.TokenService;
import net.weft.coordinator.service.WeftException;

/** Admin: join tokens; the dashboard may list, create and revoke them. */
@Path("/api/v1/tokens")
@AdminRoute
@DashboardRoute
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    @Inject
    TokenService tokens;

    @Inject
    DashboardService dashboard;

    /** Creates a token; the answer carries its secret, shown this once. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(TokenRequest request) {
        TokenRequest r = request == null ? new TokenRequest(null, null, null, null, null) : request;
        TokenService.Created c = tokens.create(r.reusable(), r.uses(), r.expires(), r.tags(), r.ephemeral());
        dashboard.poke();
        return Response.status(201).entity(TokenView.of(c.token(), c.secret())).build();
    }

    /** Every token, without secrets or hashes. */
    @GET
    public List<TokenView> list() {
        return tokens.list().stream().map(t -> TokenView.of(t, null)).toList();
    }

    /** Revokes a token: no more joins with it. */
    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        if (id == null) {
            throw new WeftException(WeftException.Kind.NOT_FOUND, "no token");
        }
        tokens.revoke(id);
        dashboard.poke();
        return Response.noContent().build();
    }
}
