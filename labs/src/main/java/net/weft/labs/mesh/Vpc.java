package net.weft.labs.mesh;

import java.util.ArrayList;
import java.util.List;
import net.weft.labs.netns.Namespace;

/**
 * A simulated cloud VPC ({@code 198.18.N.0/24}): a namespace with a bridge, the {@link VpcWorkload} at
 * {@code 198.18.N.10:80}, and gateway nodes attached with a second veth at {@code .2}, {@code .3}, ...
 */
public final class Vpc {

    private final MeshLab lab;
    private final String name;
    private final Namespace ns;
    private final String cidr;
    private final String workloadAddress;
    private final List<MeshNode> gateways = new ArrayList<>();
    private int allocated;

    Vpc(MeshLab lab, String name, Namespace ns, String cidr, String workloadAddress) {
        this.lab = lab;
        this.name = name;
        this.ns = ns;
        this.cidr = cidr;
        this.workloadAddress = workloadAddress;
    }

    public String name() {
        return name;
    }

    public Namespace ns() {
        return ns;
    }

    /** The VPC's prefix, what an on-ramp routes: {@code 198.18.N.0/24}. */
    public String cidr() {
        return cidr;
    }

    public String workloadAddress() {
        return workloadAddress;
    }

    public String workloadUrl() {
        return "http://" + workloadAddress + "/";
    }

    /** The workload as a health-check target: {@code 198.18.N.10:80}. */
    public String workloadTarget() {
        return workloadAddress + ":80";
    }

    /** Puts {@code gateway} on this VPC's bridge ({@code vpc0} in its namespace); returns its address there. */
    public String attach(MeshNode gateway) {
        String address = lab.attach(this, gateway);
        gateway.attachedTo(this, address);
        synchronized (this) {
            gateways.add(gateway);
        }
        return address;
    }

    public synchronized List<MeshNode> gateways() {
        return List.copyOf(gateways);
    }

    synchronized String nextGatewayAddress() {
        if (allocated >= 7) {
            throw new IllegalStateException("VPC " + name + " has room for 7 gateways");
        }
        String prefix = workloadAddress.substring(0, workloadAddress.lastIndexOf('.') + 1);
        return prefix + (2 + allocated++);
    }
}
