package net.weft.topology.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.LiveState;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Topology;

/**
 * Chooses each on-ramp's active gateway from timestamped {@link LiveState} snapshots, with
 * hysteresis:
 * <ul>
 *   <li>While the active gateway stays healthy (and online) it keeps the on-ramp, unless a gateway it
 *       prefers (higher priority, then lower id) has been healthy for at least the hold-down; that one
 *       takes over.</li>
 *   <li>When the active gateway fails, or there is none, the most preferred gateway that has been
 *       healthy for the hold-down takes over; if none has, the most preferred healthy one does
 *       (any healthy gateway beats none).</li>
 * </ul>
 * Everything that decides is in {@link #state()}, and time comes only from the snapshots, so the same
 * snapshots give the same choices on every coordinator member, and a member can resume from a saved
 * state. Not thread-safe: one owner feeds it snapshots in time order.
 */
public final class OnRampArbiter {

    /**
     * The arbiter's state for one on-ramp.
     *
     * @param active       the active gateway's node id, or null
     * @param healthySince per gateway node id currently healthy, since when it has been
     */
    public record RampState(String active, Map<String, Instant> healthySince) {
        public RampState {
            healthySince = Collections.unmodifiableSortedMap(new TreeMap<>(healthySince));
        }
    }

    private final Duration holdDown;
    private final TreeMap<String, RampState> state = new TreeMap<>();
    private Instant lastObserved = Instant.MIN;

    /** A fresh arbiter: no gateway is active or healthy until a snapshot says so. */
    public OnRampArbiter(Duration holdDown) {
        this(holdDown, Map.of(), Instant.MIN);
    }

    /** An arbiter resuming from {@link #state()} and the time of the last snapshot it saw. */
    public OnRampArbiter(Duration holdDown, Map<String, RampState> saved, Instant lastObserved) {
        if (holdDown.isNegative()) {
            throw new IllegalArgumentException("hold-down must not be negative");
        }
        this.holdDown = holdDown;
        this.state.putAll(saved);
        this.lastObserved = Objects.requireNonNull(lastObserved, "lastObserved");
    }

    /**
     * Takes in a snapshot and returns the active gateway of every on-ramp that has one.
     *
     * @throws IllegalArgumentException when the snapshot is older than the previous one
     */
    public SortedMap<String, String> observe(Topology topology, LiveState live) {
        Instant now = live.observedAt();
        if (now.isBefore(lastObserved)) {
            throw new IllegalArgumentException("snapshot at " + now + " is older than the last one at " + lastObserved);
        }
        lastObserved = now;
        state.keySet().retainAll(topology.onRamps().keySet());
        for (OnRamp ramp : topology.onRamps().values()) {
            RampState before = state.getOrDefault(ramp.name(), new RampState(null, Map.of()));
            TreeMap<String, Instant> since = new TreeMap<>();
            for (Gateway g : ramp.gateways()) {
                if (live.isHealthy(ramp.name(), g.node())) {
                    since.put(g.node(), before.healthySince().getOrDefault(g.node(), now));
                }
            }
            state.put(ramp.name(), new RampState(choose(ramp.gateways(), before.active(), since, now), since));
        }
        return activeGateways();
    }

    private String choose(List<Gateway> preference, String current, Map<String, Instant> since, Instant now) {
        boolean currentHealthy = current != null && since.containsKey(current);
        for (Gateway g : preference) {
            if (currentHealthy && g.node().equals(current)) {
                return current; // nothing it prefers has proven itself
            }
            Instant s = since.get(g.node());
            if (s != null && !s.plus(holdDown).isAfter(now)) {
                return g.node();
            }
        }
        if (currentHealthy) {
            return current;
        }
        for (Gateway g : preference) {
            if (since.containsKey(g.node())) {
                return g.node();
            }
        }
        return null;
    }

    /** The active gateway of every on-ramp that has one, by on-ramp name. */
    public SortedMap<String, String> activeGateways() {
        TreeMap<String, String> out = new TreeMap<>();
        state.forEach((k, v) -> {
            if (v.active() != null) {
                out.put(k, v.active());
            }
        });
        return Collections.unmodifiableSortedMap(out);
    }

    /** Everything the arbiter decides from, by on-ramp name. */
    public SortedMap<String, RampState> state() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(state));
    }

    /** The time of the last snapshot taken in. */
    public Instant lastObserved() {
        return lastObserved;
    }
}
