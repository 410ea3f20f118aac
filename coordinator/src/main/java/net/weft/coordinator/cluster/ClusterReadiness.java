package net.weft.coordinator.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the member runs in a cluster (at least itself) and the database answers. */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {

    @Inject
    ClusterStore store;

    @Override
    public HealthCheckResponse call() {
        int members = store.members();
        boolean db = store.databaseHealthy();
        return HealthCheckResponse.named("weft-cluster")
                .status(members > 0 && db)
                .withData("members", members)
                .withData("database", db ? "up" : "down")
                .build();
    }
}
