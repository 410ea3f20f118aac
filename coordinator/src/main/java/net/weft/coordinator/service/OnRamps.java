package net.weft.coordinator.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.StoreJson;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Topology;
import net.weft.topology.routing.OnRampArbiter;

/**
 * On-ramp health as the cluster keeps it, in two settings: the gateways' latest verdicts, and the state of
 * topology's {@link OnRampArbiter} (who is active, who has been healthy since when). Every member routes
 * by the stored choice, so all compute the same maps; only a change under the network lock moves it.
 */
final class OnRamps {

    /** The healthy gateways per on-ramp, from the latest reports. */
    static final String HEALTH_SETTING = "onramp.health";
    /** The arbiter's state. */
    static final String ARBITER_SETTING = "onramp.arbiter";

    /** The stored health verdicts: per on-ramp, the gateways that report it healthy. */
    record Health(Map<String, Set<String>> healthy) {
        Health {
            TreeMap<String, Set<String>> copy = new TreeMap<>();
            if (healthy != null) {
                healthy.forEach((k, v) -> {
                    if (!v.isEmpty()) {
                        copy.put(k, new TreeSet<>(v));
                    }
                });
            }
            healthy = copy;
        }
    }

    /** The stored arbiter: its state per on-ramp and its last snapshot's time (null: none yet). */
    record Saved(Map<String, OnRampArbiter.RampState> ramps, Instant lastObserved) {
        Saved {
            ramps = ramps == null ? Map.of() : new TreeMap<>(ramps);
        }
    }

    private OnRamps() {
    }

    static Health health(ClusterStore store) {
        return store.setting(HEALTH_SETTING).map(s -> StoreJson.read(s, Health.class)).orElse(new Health(Map.of()));
    }

    static void putHealth(ClusterStore store, Health health) {
        store.putSetting(HEALTH_SETTING, StoreJson.write(health));
    }

    static Saved saved(ClusterStore store) {
        return store.setting(ARBITER_SETTING).map(s -> StoreJson.read(s, Saved.class)).orElse(new Saved(Map.of(), null));
    }

    /**
     * The stored active gateway of every on-ramp of {@code topology} whose choice still fits it (the on-ramp
     * exists and the gateway has joined): what the routing plan is built with.
     */
    static Map<String, String> activeGateways(ClusterStore store, Topology topology) {
        SortedMap<String, String> out = new TreeMap<>();
        saved(store).ramps().forEach((name, state) -> {
            OnRamp ramp = topology.onRamps().get(name);
            if (state.active() != null && ramp != null
                    && ramp.gateways().stream().anyMatch(g -> g.node().equals(state.active()))) {
                out.put(name, state.active());
            }
        });
        return out;
    }

    /**
     * With the network lock held: one arbiter step at {@code now} over the stored health and the online nodes;
     * stores the new state when it moved.
     *
     * @return true when an on-ramp's active gateway changed (the maps must follow)
     */
    static boolean arbitrate(ClusterStore store, Topology topology, Instant now) {
        Saved saved = saved(store);
        if (topology.onRamps().isEmpty() && saved.ramps().isEmpty()) {
            return false;
        }
        Duration holdDown = topology.network().gatewayHoldDown();
        Instant last = saved.lastObserved() == null ? Instant.MIN : saved.lastObserved();
        OnRampArbiter arbiter = new OnRampArbiter(holdDown, saved.ramps(), last);
        Instant at = now.isBefore(last) ? last : now;
        Map<String, String> before = activeOf(saved.ramps());
        arbiter.observe(topology, new net.weft.topology.model.LiveState(store.onlineNodes(), health(store).healthy(), at));
        if (!arbiter.state().equals(saved.ramps())) {
            store.putSetting(ARBITER_SETTING, StoreJson.write(new Saved(arbiter.state(), at)));
        }
        return !before.equals(arbiter.activeGateways());
    }

    private static Map<String, String> activeOf(Map<String, OnRampArbiter.RampState> ramps) {
        TreeMap<String, String> out = new TreeMap<>();
        ramps.forEach((k, v) -> {
            if (v.active() != null) {
                out.put(k, v.active());
            }
        });
        return out;
    }

    /** The names of the on-ramps of {@code topology}'s spec that list {@code nodeId} as a gateway. */
    static List<String> rampsOf(Topology topology, String nodeId) {
        return topology.onRamps().values().stream()
                .filter(r -> r.gateways().stream().anyMatch(g -> g.node().equals(nodeId)))
                .map(OnRamp::name).toList();
    }
}
