package net.weft.labs.topology;

import java.util.concurrent.TimeUnit;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.MapDelta;
import net.weft.topology.model.Node;
import net.weft.topology.routing.PlanChange;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The coordinator's whole work for one join into a mesh of {@code nodes}, on one thread: allocate the
 * newcomer's addresses (IPAM), build its node, and from the current plan derive the next plan, the delta
 * of every existing node whose map changes and the newcomer's full map ({@link RoutingPlan#join}). Each
 * invocation joins a fresh random node (random id, so anywhere in the id order) to the same state, then
 * releases its addresses. A reachable newcomer changes every map (one added peer each); a newcomer behind
 * NAT adds one peer to every reachable node's map and grows the home-relay entry of every NAT node and
 * relay that reaches it ({@code nat}). {@link #joinAndEncode} adds what goes on the wire: every delta and
 * the full map as canonical JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JoinBenchmark {

    @Param({"10000"})
    public int nodes;

    /** {@code reachable} or {@code nat}: where the newcomer sits. */
    @Param({"reachable", "nat"})
    public String newcomer;

    private SyntheticMesh mesh;
    private RoutingPlan plan;
    private boolean reachable;

    @Setup
    public void setUp() {
        mesh = SyntheticMesh.generate(nodes, 42);
        plan = mesh.plan();
        reachable = switch (newcomer) {
            case "reachable" -> true;
            case "nat" -> false;
            default -> throw new IllegalArgumentException("newcomer is reachable or nat, not " + newcomer);
        };
    }

    @Benchmark
    public PlanChange join() {
        Node node = mesh.newcomer(reachable);
        PlanChange change = plan.join(node, 1, 2);
        mesh.ipam().release(node.id());
        return change;
    }

    @Benchmark
    public void joinAndEncode(Blackhole bh) {
        Node node = mesh.newcomer(reachable);
        PlanChange change = plan.join(node, 1, 2);
        for (MapDelta d : change.deltas()) {
            bh.consume(CanonicalJson.toBytes(d));
        }
        bh.consume(CanonicalJson.toBytes(change.fullMaps().get(0)));
        bh.consume(change.plan());
        mesh.ipam().release(node.id());
    }
}
