package net.weft.node.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.weft.node.agent.AgentStatus;
import net.weft.topology.model.IpPrefix;

/** {@code weft status} for people: the node, its coordinator, its peers as {@code wg show} would, its on-ramps. */
final class AgentOutput {

    private AgentOutput() {
    }

    static String status(AgentStatus s, long nowMillis) {
        StringBuilder sb = new StringBuilder();
        sb.append("node ").append(s.nodeId()).append(" (").append(s.name()).append(")  ")
                .append(s.addresses().stream().map(IpPrefix::toString).collect(Collectors.joining(", ")))
                .append("  on ").append(s.interfaceName()).append(", port ").append(s.listenPort())
                .append(s.relay() ? ", relay" : "").append('\n');
        sb.append("coordinator ").append(s.coordinator()).append("  ")
                .append(s.connected() ? "connected" : "not connected (tunnels run on the last map)")
                .append(", map v").append(s.mapVersion()).append('\n');
        if (s.lastError() != null && !s.connected()) {
            sb.append("  last error: ").append(s.lastError()).append('\n');
        }
        if (s.peers().isEmpty()) {
            sb.append("no peers\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PEER", "ENDPOINT", "HANDSHAKE", "RX", "TX", "ALLOWED IPS"});
            for (AgentStatus.PeerView p : s.peers()) {
                rows.add(new String[] {p.nodeId() == null ? p.publicKey().toBase64() : p.nodeId(),
                        p.endpoint() == null ? "-" : p.endpoint(), age(p.lastHandshakeMillis(), nowMillis),
                        bytes(p.rxBytes()), bytes(p.txBytes()),
                        p.allowedIps().stream().map(IpPrefix::toString).collect(Collectors.joining(", "))});
            }
            sb.append(AdminOutput.table(rows));
        }
        if (!s.routes().isEmpty()) {
            sb.append("routes into the mesh\n");
            for (AgentStatus.RouteView r : s.routes()) {
                sb.append("  ").append(r.prefix()).append(" via ").append(r.via()).append('\n');
            }
        }
        for (AgentStatus.GatewayView g : s.gateways()) {
            sb.append("gateway of on-ramp ").append(g.onRamp()).append(' ').append(g.cidrs()).append(": ")
                    .append(g.active() ? "active" : "standby").append(", ").append(g.healthy() ? "healthy" : "unhealthy")
                    .append('\n');
        }
        return sb.toString();
    }

    /** {@code 12s ago}, {@code 3m 4s ago}, {@code never}. */
    static String age(long thenMillis, long nowMillis) {
        if (thenMillis <= 0) {
            return "never";
        }
        long s = Math.max(0, (nowMillis - thenMillis) / 1000);
        return s < 60 ? s + "s ago" : s < 3600 ? s / 60 + "m " + s % 60 + "s ago" : s / 3600 + "h " + s % 3600 / 60 + "m ago";
    }

    /** Bytes in binary units, as wg prints transfer. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format("%.2f %s", v, units[u]);
    }
}
