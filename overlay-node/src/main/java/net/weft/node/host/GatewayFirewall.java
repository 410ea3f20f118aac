package net.weft.node.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import net.weft.topology.model.IpPrefix;

/**
 * The on-ramp gateway's packet rules: one nftables table per overlay interface,
 * {@code table inet weft_<interface>}, owned by Weft and replaced whole in one {@code nft -f -}
 * transaction, so the kernel never holds half a ruleset and applying the same input twice leaves the
 * same rules.
 *
 * <p>What the table does, for packets the kernel forwards:
 * <ul>
 *   <li><b>MSS clamping.</b> A TCP SYN or SYN-ACK going into or coming out of the overlay interface has
 *   its MSS lowered to what fits the overlay MTU: {@code mtu - 40} for IPv4 (20 bytes IP, 20 TCP),
 *   {@code mtu - 60} for IPv6 (40 IP, 20 TCP). The interface is a TUN whose MTU is the overlay MTU, the
 *   largest inner packet a tunnel carries, so a segment of that MSS always fits. An explicit size rather
 *   than {@code rt mtu}: the route MTU only covers the direction that leaves through the overlay, while
 *   a SYN from the overlay toward the VPC is routed out of a 1500-byte interface and would keep an MSS
 *   the VPC host's answers then overrun. The kernel only ever lowers an MSS; a smaller one stays.</li>
 *   <li><b>Source NAT</b> ({@link SnatRule}). {@code iifname} does not exist in postrouting (the packet
 *   has no input interface there), so the forward chain marks packets that came in on the overlay
 *   interface with bit {@link #SNAT_MARK} of the packet mark (other bits kept, so other users of the
 *   mark are undisturbed; the mark is set after routing and so steers nothing), and the postrouting nat
 *   chain masquerades marked packets bound for the VPC CIDRs: the VPC sees the gateway's own address
 *   on its VPC-side interface and answers it; conntrack maps the answers back. Matching the mark rather
 *   than an overlay source range also covers traffic the overlay routes from subnets behind other
 *   nodes.</li>
 * </ul>
 * The chains only mark and rewrite; their policy is accept and they drop nothing. A drop policy in
 * another table (a host firewall) still applies and must allow the forwarded traffic.
 *
 * <p>Not thread-safe: one owner (the agent) calls it.
 */
public final class GatewayFirewall {

    /** The packet mark bit meaning "came in from the overlay", set in forward and read in postrouting. */
    public static final int SNAT_MARK = 0x0100_0000;

    private static final int IPV4_TCP_HEADERS = 20 + 20;
    private static final int IPV6_TCP_HEADERS = 40 + 20;

    private final Command command;
    /** The interface whose table was applied last, or null: what {@link #remove()} deletes. */
    private String appliedInterface;

    /** Rules on the host (or namespace) {@code command} reaches. */
    public GatewayFirewall(Command command) {
        this.command = Objects.requireNonNull(command, "command");
    }

    /** The table's name for {@code overlayInterface}: {@code weft_<interface>}. */
    public static String tableName(String overlayInterface) {
        return "weft_" + InterfaceConfig.checkInterfaceName(overlayInterface);
    }

    /**
     * Replaces Weft's table for {@code overlayInterface} with MSS clamping for {@code overlayMtu} and
     * the given source-NAT rules, atomically. A table applied before for another interface is deleted in
     * the same transaction. A table left by an earlier run for this interface is replaced.
     *
     * @param overlayInterface the overlay (TUN) interface, e.g. {@code weft0}
     * @param overlayMtu       its MTU, 576..65535
     * @param snat             source-NAT rules; empty for none
     * @throws IOException with nft's error when the transaction is refused (nothing changed then)
     */
    public void apply(String overlayInterface, int overlayMtu, List<SnatRule> snat) throws IOException {
        StringBuilder tx = new StringBuilder();
        if (appliedInterface != null && !appliedInterface.equals(overlayInterface)) {
            deleteTable(tx, appliedInterface);
        }
        deleteTable(tx, overlayInterface);
        tx.append(ruleset(overlayInterface, overlayMtu, snat));
        command.run(tx.toString(), List.of("nft", "-f", "-"));
        appliedInterface = overlayInterface;
    }

    /** Deletes the table applied last; nothing happens when none is (or it is gone already). */
    public void remove() throws IOException {
        if (appliedInterface == null) {
            return;
        }
        StringBuilder tx = new StringBuilder();
        deleteTable(tx, appliedInterface);
        command.run(tx.toString(), List.of("nft", "-f", "-"));
        appliedInterface = null;
    }

    /**
     * Deletes the table even when it does not exist: declaring a table that exists is a no-op, so
     * {@code table} then {@code delete table} works either way (nft 1.0 has no {@code destroy}).
     */
    private static void deleteTable(StringBuilder tx, String overlayInterface) {
        String table = "inet " + tableName(overlayInterface);
        tx.append("table ").append(table).append('\n');
        tx.append("delete table ").append(table).append('\n');
    }

    /** The table's definition in nft syntax. */
    static String ruleset(String overlayInterface, int overlayMtu, List<SnatRule> snat) {
        String table = tableName(overlayInterface);
        if (overlayMtu < 576 || overlayMtu > 65535) {
            throw new IllegalArgumentException("overlay MTU " + overlayMtu + " is outside 576..65535");
        }
        String iface = '"' + overlayInterface + '"';
        List<String> natRules = new ArrayList<>();
        for (SnatRule rule : snat) {
            natRules.addAll(masquerade(rule));
        }
        int mss4 = overlayMtu - IPV4_TCP_HEADERS;
        int mss6 = overlayMtu - IPV6_TCP_HEADERS;
        String mark = String.format("0x%08x", SNAT_MARK);

        StringBuilder nft = new StringBuilder();
        nft.append("table inet ").append(table).append(" {\n");
        nft.append("  chain forward {\n");
        nft.append("    type filter hook forward priority mangle; policy accept;\n");
        if (!natRules.isEmpty()) {
            nft.append("    iifname ").append(iface).append(" meta mark set meta mark | ").append(mark).append('\n');
        }
        // SYN and SYN-ACK, in either direction through the overlay interface
        nft.append("    iifname ").append(iface).append(" tcp flags & syn == syn jump clamp\n");
        nft.append("    oifname ").append(iface).append(" tcp flags & syn == syn jump clamp\n");
        nft.append("  }\n");
        nft.append("  chain clamp {\n");
        nft.append("    meta nfproto ipv4 tcp option maxseg size > ").append(mss4)
                .append(" tcp option maxseg size set ").append(mss4).append('\n');
        nft.append("    meta nfproto ipv6 tcp option maxseg size > ").append(mss6)
                .append(" tcp option maxseg size set ").append(mss6).append('\n');
        nft.append("  }\n");
        if (!natRules.isEmpty()) {
            nft.append("  chain postrouting {\n");
            nft.append("    type nat hook postrouting priority srcnat; policy accept;\n");
            for (String r : natRules) {
                nft.append("    meta mark & ").append(mark).append(" == ").append(mark).append(' ').append(r).append('\n');
            }
            nft.append("  }\n");
        }
        nft.append("}\n");
        return nft.toString();
    }

    /** One rule per address family the rule's CIDRs hold, each with the CIDRs as an anonymous set. */
    private static List<String> masquerade(SnatRule rule) {
        List<String> out = new ArrayList<>(2);
        for (boolean v6 : new boolean[] {false, true}) {
            List<IpPrefix> cidrs = outermost(rule.vpcCidrs().stream().filter(p -> p.isIpv6() == v6).toList());
            if (!cidrs.isEmpty()) {
                StringBuilder s = new StringBuilder(v6 ? "ip6 daddr { " : "ip daddr { ");
                for (int i = 0; i < cidrs.size(); i++) {
                    s.append(i == 0 ? "" : ", ").append(cidrs.get(i));
                }
                out.add(s.append(" } masquerade").toString());
            }
        }
        return out;
    }

    /**
     * The prefixes not inside another one of the list, sorted: an nft interval set refuses overlapping
     * elements, and a prefix inside another adds nothing to the match.
     */
    private static List<IpPrefix> outermost(List<IpPrefix> prefixes) {
        List<IpPrefix> out = new ArrayList<>();
        // sorted by address then length: a prefix's containers come before it
        for (IpPrefix p : new TreeSet<>(prefixes)) {
            if (out.isEmpty() || !out.getLast().contains(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
