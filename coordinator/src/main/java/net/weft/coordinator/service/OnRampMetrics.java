package net.weft.coordinator.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.OnRamp;
import net.weft.topology.routing.OnRampArbiter;

/**
 * The on-ramps' gauges: {@code weft_onramp_active_gateway{onramp,gateway}}, 1 for the gateway the maps route the
 * on-ramp to and 0 for each of its other gateways, and {@code weft_onramp_healthy_gateways{onramp}}, the gateways
 * the arbiter last counted healthy (online, with a healthy verdict that has not lapsed). The series follow the
 * spec (a declared gateway that has not joined shows 0): an on-ramp or a gateway that leaves it loses its series.
 * Every member shows the same cluster-wide figures, read from this member's routing plan and the stored arbiter
 * state on every housekeeping tick ({@code weft.lease.sweep-interval}), so they trail a change by at most that.
 */
@ApplicationScoped
public class OnRampMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    ClusterStore store;

    @Inject
    MapDistributor maps;

    private volatile MultiGauge active;
    private volatile MultiGauge healthy;

    void onStart(@Observes StartupEvent event) {
        active = MultiGauge.builder("weft_onramp_active_gateway")
                .description("1 for the gateway an on-ramp's CIDRs are routed to, 0 for its other gateways")
                .register(registry);
        healthy = MultiGauge.builder("weft_onramp_healthy_gateways")
                .description("Gateways of the on-ramp counted healthy: online, with a healthy verdict that has not lapsed")
                .register(registry);
    }

    /** Brings the series up to date with the current plan and the stored arbiter state. */
    void refresh() {
        MultiGauge activeGauge = active;
        MultiGauge healthyGauge = healthy;
        if (activeGauge == null || healthyGauge == null) {
            return; // not started yet
        }
        MapDistributor.State state = maps.current();
        List<OnRamp> declared = state.model().spec() == null ? List.of() : state.model().spec().onRamps();
        Map<String, String> holders = state.plan().activeGateways();
        Map<String, OnRampArbiter.RampState> arbiter = declared.isEmpty() ? Map.of() : OnRamps.saved(store).ramps();
        List<MultiGauge.Row<?>> activeRows = new ArrayList<>();
        List<MultiGauge.Row<?>> healthyRows = new ArrayList<>();
        // the spec's gateways, joined or not: one that never joined shows 0 rather than nothing
        for (OnRamp ramp : declared) {
            String holder = holders.get(ramp.name());
            for (Gateway g : ramp.gateways()) {
                activeRows.add(MultiGauge.Row.of(Tags.of("onramp", ramp.name(), "gateway", g.node()),
                        Objects.equals(holder, g.node()) ? 1 : 0));
            }
            OnRampArbiter.RampState arbitrated = arbiter.get(ramp.name());
            long count = arbitrated == null ? 0 : ramp.gateways().stream()
                    .filter(g -> arbitrated.healthySince().containsKey(g.node())).count();
            healthyRows.add(MultiGauge.Row.of(Tags.of("onramp", ramp.name()), count));
        }
        activeGauge.register(activeRows, true);
        healthyGauge.register(healthyRows, true);
    }
}
