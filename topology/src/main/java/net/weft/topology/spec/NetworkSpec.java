package net.weft.topology.spec;

import java.util.List;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Network;
import net.weft.topology.model.OnRamp;

/**
 * A parsed and validated network spec. Lists are sorted by name.
 *
 * @param network the declared network, or the defaults when no {@code Network} document was given
 * @param nodes   declared nodes
 * @param onRamps on-ramps
 * @param links   backbone links
 */
public record NetworkSpec(Network network, List<NodeDeclaration> nodes, List<OnRamp> onRamps,
                          List<BackboneLink> links) {

    public NetworkSpec {
        nodes = nodes.stream().sorted(java.util.Comparator.comparing(NodeDeclaration::id)).toList();
        onRamps = onRamps.stream().sorted(java.util.Comparator.comparing(OnRamp::name)).toList();
        links = links.stream().sorted(java.util.Comparator.comparing(BackboneLink::name)).toList();
    }
}
