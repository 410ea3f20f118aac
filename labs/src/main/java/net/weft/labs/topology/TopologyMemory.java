package net.weft.labs.topology;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.model.Node;
import net.weft.topology.model.Topology;
import net.weft.topology.routing.PlanChange;
import net.weft.topology.routing.RoutingPlan;
import net.weft.topology.testing.SyntheticMesh;

/**
 * Heap retained per node by the model (the {@link Topology}), the routing plan, and all maps, for
 * synthetic meshes of the sizes given as arguments (default 1000 10000). Each figure is the difference
 * of the used heap after full collections, taken before and after the object is built while everything
 * built earlier is still held, divided by the number of nodes. Run it in its own JVM:
 * {@code java -cp weft-labs-benchmarks.jar net.weft.labs.topology.TopologyMemory}.
 */
public final class TopologyMemory {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private TopologyMemory() {
    }

    public static void main(String[] args) throws InterruptedException {
        String[] sizes = args.length > 0 ? args : new String[]{"1000", "10000"};
        System.out.printf("# %s %s, max heap %d MiB%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%8s %14s %14s %14s %14s%n", "nodes", "model B/node", "plan B/node", "maps B/node",
                "join B/node");
        for (String s : sizes) {
            measure(Integer.parseInt(s));
        }
    }

    private static void measure(int n) throws InterruptedException {
        long base = usedAfterGc();
        // built in another frame, so that the generator (its IPAM and lists) is garbage when measured
        Model m = model(n);
        Topology topology = m.topology();
        long model = usedAfterGc();
        RoutingPlan plan = new RoutingPlan(topology, m.online(), m.activeGateways());
        long planned = usedAfterGc();
        SortedMap<String, NetworkMap> maps = plan.allMaps(1);
        long mapped = usedAfterGc();
        // what a join adds while both plans are alive: the new plan shares the unchanged parts of the old
        PlanChange change = plan.join(m.newcomer(), 1, 2);
        long joined = usedAfterGc();
        System.out.printf("%8d %14d %14d %14d %14d%n", n, (model - base) / n, (planned - model) / n,
                (mapped - planned) / n, (joined - mapped) / n);
        // keep everything reachable until the last measurement (online and active gateways are model too)
        Reference.reachabilityFence(m);
        Reference.reachabilityFence(plan);
        Reference.reachabilityFence(maps);
        Reference.reachabilityFence(change);
    }

    /** The desired state and live facts of a mesh, and one node that is about to join it. */
    private record Model(Topology topology, Set<String> online, Map<String, String> activeGateways, Node newcomer) {
    }

    private static Model model(int n) {
        SyntheticMesh mesh = SyntheticMesh.generate(n, 42);
        return new Model(mesh.topology(), mesh.online(), mesh.activeGateways(), mesh.newcomer(false));
    }

    /** Used heap after collections have stopped freeing anything. */
    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
