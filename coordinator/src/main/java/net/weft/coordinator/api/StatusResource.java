package net.weft.coordinator.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import net.weft.coordinator.auth.AdminRoute;
import net.weft.coordinator.auth.DashboardRoute;
import net.weft.coordinator.service.NetworkService;

/** Admin: the network at a glance. */
@Path("/api/v1/status")
@AdminRoute
@DashboardRoute
public class StatusResource {

    @Inject
    NetworkService network;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public NetworkService.Status status() {
        return network.status();
    }
}
