package net.weft.labs.topology;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.model.Topology;
import net.weft.topology.routing.RoutingPlan;
import net.weft.topology.testing.SyntheticMesh;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every node's network map computed from scratch, on one thread: what a coordinator member does when
 * it starts, or after a change the incremental paths do not cover. {@link #plan} is the routing plan
 * alone (relays, home relays, backbone paths, the disjointness check, per-node entries);
 * {@link #allMaps} is the plan plus all {@code nodes} maps, each with up to {@code nodes - 1} peers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FullMapsBenchmark {

    @Param({"1000", "10000"})
    public int nodes;

    private Topology topology;
    private Set<String> online;
    private Map<String, String> activeGateways;

    @Setup
    public void setUp() {
        SyntheticMesh mesh = SyntheticMesh.generate(nodes, 42);
        topology = mesh.topology();
        online = mesh.online();
        activeGateways = mesh.activeGateways();
    }

    @Benchmark
    public RoutingPlan plan() {
        return new RoutingPlan(topology, online, activeGateways);
    }

    @Benchmark
    public SortedMap<String, NetworkMap> allMaps() {
        return new RoutingPlan(topology, online, activeGateways).allMaps(1);
    }
}
