package net.weft.labs.mesh;

import java.util.ArrayList;
import java.util.List;
import net.weft.labs.netns.Namespace;

/**
 * A site behind NAT: a router namespace on the wan that masquerades its LAN ({@code 198.51.100.32k/27}, a bridge
 * with the router at {@code .32k+1}); nodes on the LAN ({@link MeshLab#nodeBehind}) take the next addresses.
 */
public final class NatSite {

    private static final int HOSTS = 29; // a /27 holds .1 to .30; the router has the first

    private final String name;
    private final Namespace router;
    private final String lan;
    private final String routerAddress;
    private final int base;
    private final List<MeshNode> nodes = new ArrayList<>();

    NatSite(String name, Namespace router, String lan, String routerAddress, int base) {
        this.name = name;
        this.router = router;
        this.lan = lan;
        this.routerAddress = routerAddress;
        this.base = base;
    }

    public String name() {
        return name;
    }

    public Namespace router() {
        return router;
    }

    /** The LAN prefix, e.g. {@code 198.51.100.0/27}. */
    public String lan() {
        return lan;
    }

    public String routerAddress() {
        return routerAddress;
    }

    public synchronized List<MeshNode> nodes() {
        return List.copyOf(nodes);
    }

    synchronized String nextAddress() {
        if (nodes.size() >= HOSTS) {
            throw new IllegalStateException("site " + name + " is full");
        }
        return "198.51.100." + (base + 2 + nodes.size());
    }

    synchronized void add(MeshNode node) {
        nodes.add(node);
    }
}
