package net.weft.coordinator.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.StoreJson;
import net.weft.topology.model.HealthCheck;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Topology;
import net.weft.topology.routing.OnRampArbiter;
import org.jboss.logging.Logger;

/**
 * On-ramp health as the cluster keeps it, in two settings: the gateways' latest verdicts with the time each
 * arrived, and the state of topology's {@link OnRampArbiter} (who is active, who has been healthy since when).
 * Every member routes by the stored choice, so all compute the same maps; only a change under the network
 * lock moves it.
 *
 * <p>Gateways report after every probe round. A healthy verdict that is not renewed within its on-ramp's
 * {@link #lapseAfter} lapses: the gateway (its process or its host) is presumed dead and counts as unhealthy,
 * long before its heartbeat lease would run out. Every arbiter step drops lapsed verdicts first; the oldest
 * member takes one every lease sweep.
 */
final class OnRamps {

    private static final Logger LOG = Logger.getLogger(OnRamps.class);

    /** The gateways' healthy verdicts per on-ramp, with the time each was last renewed. */
    static final String HEALTH_SETTING = "onramp.health";
    /** The arbiter's state. */
    static final String ARBITER_SETTING = "onramp.arbiter";

    /**
     * The stored health verdicts: per on-ramp, per gateway whose latest verdict is healthy, when that verdict
     * arrived (the receiving member's clock). A gateway whose latest verdict is unhealthy is absent. (Stored
     * under its own name: the unstamped sets of earlier versions, {@code "healthy"}, are ignored when read, so
     * they count as lapsed.)
     */
    record Health(Map<String, Map<String, Instant>> healthyAt) {
        Health {
            TreeMap<String, Map<String, Instant>> copy = new TreeMap<>();
            if (healthyAt != null) {
                healthyAt.forEach((ramp, gateways) -> {
                    if (gateways != null && !gateways.isEmpty()) {
                        copy.put(ramp, Collections.unmodifiableSortedMap(new TreeMap<>(gateways)));
                    }
                });
            }
            healthyAt = Collections.unmodifiableSortedMap(copy);
        }

        /** Per on-ramp, the gateways whose latest verdict is healthy, whenever it came. */
        Map<String, Set<String>> healthy() {
            TreeMap<String, Set<String>> out = new TreeMap<>();
            healthyAt.forEach((ramp, gateways) -> out.put(ramp, new TreeSet<>(gateways.keySet())));
            return out;
        }

        /** With gateway {@code nodeId}'s verdict on {@code onRamp}, received at {@code at}. */
        Health with(String onRamp, String nodeId, boolean healthy, Instant at) {
            TreeMap<String, Map<String, Instant>> next = new TreeMap<>(healthyAt);
            TreeMap<String, Instant> gateways = new TreeMap<>(healthyAt.getOrDefault(onRamp, Map.of()));
            if (healthy) {
                gateways.put(nodeId, at);
            } else {
                gateways.remove(nodeId);
            }
            next.put(onRamp, gateways);
            return new Health(next);
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
     * How long a healthy verdict on {@code ramp} holds without a renewal: a gateway reports every
     * {@code interval}, and one that stays alive but loses the VPC says so within {@code interval x
     * failureThreshold}; one more interval of slack, and silence means it is gone.
     */
    static Duration lapseAfter(OnRamp ramp) {
        HealthCheck h = ramp.healthCheck();
        return h.interval().multipliedBy(h.failureThreshold() + 1L);
    }

    /**
     * With the network lock held: drops the stored healthy verdicts that lapsed at {@code now} (logging each),
     * and those of on-ramps and gateways {@code topology} no longer has (the node left, the spec changed).
     */
    static void dropLapsed(ClusterStore store, Topology topology, Instant now) {
        Health health = health(store);
        TreeMap<String, Map<String, Instant>> kept = new TreeMap<>();
        health.healthyAt().forEach((name, gateways) -> {
            OnRamp ramp = topology.onRamps().get(name);
            if (ramp == null) {
                return;
            }
            Duration lapse = lapseAfter(ramp);
            TreeMap<String, Instant> live = new TreeMap<>();
            gateways.forEach((node, at) -> {
                if (ramp.gateways().stream().noneMatch(g -> g.node().equals(node))) {
                    return;
                }
                if (at.plus(lapse).isBefore(now)) {
                    LOG.warnf("gateway %s: its health verdict on on-ramp %s lapsed (last renewed %d ms ago, the on-ramp "
                            + "allows %d ms); it counts as unhealthy", node, name,
                            Duration.between(at, now).toMillis(), lapse.toMillis());
                    return;
                }
                live.put(node, at);
            });
            kept.put(name, live);
        });
        Health after = new Health(kept);
        if (!after.equals(health)) {
            putHealth(store, after);
        }
    }

    /**
     * With the network lock held: one arbiter step at {@code now} over the stored health (lapsed verdicts
     * dropped first) and the online nodes; stores the new state when it moved.
     *
     * @return true when an on-ramp's active gateway changed (the maps must follow)
     */
    static boolean arbitrate(ClusterStore store, Topology topology, Instant now) {
        Saved saved = saved(store);
        dropLapsed(store, topology, now);
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
