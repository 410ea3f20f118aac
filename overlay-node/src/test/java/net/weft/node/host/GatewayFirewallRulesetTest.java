package net.weft.node.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;

/** The nft text {@link GatewayFirewall} writes, checked without a kernel; the kernel's view is in {@link GatewayFirewallTest}. */
class GatewayFirewallRulesetTest {

    @Test
    void clampsToTheOverlayMtuPerFamilyInBothDirections() {
        String nft = GatewayFirewall.ruleset("weft0", 1420, List.of());

        assertThat(nft).startsWith("table inet weft_weft0 {\n")
                .contains("iifname \"weft0\" tcp flags & syn == syn jump clamp")
                .contains("oifname \"weft0\" tcp flags & syn == syn jump clamp")
                .contains("meta nfproto ipv4 tcp option maxseg size > 1380 tcp option maxseg size set 1380")
                .contains("meta nfproto ipv6 tcp option maxseg size > 1360 tcp option maxseg size set 1360");
        assertThat(nft).as("no SNAT asked: no mark and no nat chain").doesNotContain("mark", "postrouting", "masquerade");
    }

    @Test
    void masqueradesMarkedTrafficToTheCidrsOfEachRulePerFamily() {
        String nft = GatewayFirewall.ruleset("weft0", 1420, List.of(
                new SnatRule(List.of(p("198.18.0.0/24"), p("fd00:18::/64"), p("198.18.2.0/24"))),
                new SnatRule(List.of(p("198.19.0.0/16")))));

        assertThat(nft)
                .contains("iifname \"weft0\" meta mark set meta mark | 0x01000000")
                .contains("type nat hook postrouting priority srcnat; policy accept;")
                .contains("meta mark & 0x01000000 == 0x01000000 ip daddr { 198.18.0.0/24, 198.18.2.0/24 } masquerade")
                .contains("meta mark & 0x01000000 == 0x01000000 ip6 daddr { fd00:18::/64 } masquerade")
                .contains("meta mark & 0x01000000 == 0x01000000 ip daddr { 198.19.0.0/16 } masquerade");
    }

    @Test
    void prefixesInsideAnotherOfTheSameRuleAreLeftOutBecauseNftRefusesOverlaps() {
        String nft = GatewayFirewall.ruleset("weft0", 1420,
                List.of(new SnatRule(List.of(p("198.18.5.0/24"), p("198.18.0.0/16"), p("198.18.0.0/24"), p("198.19.0.0/24")))));

        assertThat(nft).contains("ip daddr { 198.18.0.0/16, 198.19.0.0/24 } masquerade");
    }

    @Test
    void refusesABadInterfaceNameAndMtu() {
        assertThatThrownBy(() -> GatewayFirewall.ruleset("we\"ft0", 1420, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad interface name");
        assertThatThrownBy(() -> GatewayFirewall.ruleset("this-name-is-too-long", 1420, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayFirewall.ruleset("weft0", 100, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("576..65535");
    }

    private static IpPrefix p(String text) {
        return IpPrefix.parse(text);
    }
}
