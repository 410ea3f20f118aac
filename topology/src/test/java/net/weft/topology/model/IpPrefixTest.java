package net.weft.topology.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void parsesAndPrintsCanonically() {
        assertThat(IpPrefix.parse("100.64.0.0/10").toString()).isEqualTo("100.64.0.0/10");
        assertThat(IpPrefix.parse("100.64.0.1").toString()).isEqualTo("100.64.0.1/32");
        assertThat(IpPrefix.parse("FD7A:115C:A1E0:0:0:0:0:0/48").toString()).isEqualTo("fd7a:115c:a1e0::/48");
        assertThat(IpPrefix.parse("2001:db8:0:0:1:0:0:1").toString()).isEqualTo("2001:db8::1:0:0:1/128");
        assertThat(IpPrefix.parse("2001:db8:0:1:1:1:1:1/128").toString()).isEqualTo("2001:db8:0:1:1:1:1:1/128");
        assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
        assertThat(IpPrefix.parse("0.0.0.0/0").toString()).isEqualTo("0.0.0.0/0");
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : List.of("", "1.2.3", "1.2.3.4.5", "256.0.0.0/8", "01.2.3.4/32", "1.2.3.4/33",
                "1.2.3.4/", "1.2.3.4/-1", "example.com", "::1/129", "fe80::1%eth0/128", "1.2.3.0/x")) {
            assertThatThrownBy(() -> IpPrefix.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> IpPrefix.parse("198.18.0.1/24")).hasMessage("host bits set in 198.18.0.1/24");
    }

    @Test
    void containmentAndOverlap() {
        IpPrefix overlay = IpPrefix.parse("100.64.0.0/10");
        assertThat(overlay.contains(IpPrefix.parse("100.127.255.255/32"))).isTrue();
        assertThat(overlay.contains(IpPrefix.parse("100.128.0.0/32"))).isFalse();
        assertThat(overlay.overlaps(IpPrefix.parse("100.0.0.0/8"))).isTrue();
        assertThat(overlay.overlaps(IpPrefix.parse("198.18.0.0/15"))).isFalse();
        assertThat(overlay.overlaps(IpPrefix.parse("::/0"))).isFalse();
        assertThat(IpPrefix.parse("fd00::/8").contains(IpPrefix.parse("fd7a:115c:a1e0::/48"))).isTrue();
    }

    @Test
    void ordersV4BeforeV6ThenByAddressThenLength() {
        List<IpPrefix> list = new ArrayList<>(List.of(IpPrefix.parse("fd00::/8"), IpPrefix.parse("198.18.0.0/24"),
                IpPrefix.parse("100.64.0.0/32"), IpPrefix.parse("100.64.0.0/10")));
        list.sort(null);
        assertThat(list).extracting(IpPrefix::toString)
                .containsExactly("100.64.0.0/10", "100.64.0.0/32", "198.18.0.0/24", "fd00::/8");
    }

    @Test
    void formatRoundTripsRandomIpv6() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] a = new byte[16];
            for (int j = 0; j < 16; j++) {
                a[j] = r.nextInt(3) == 0 ? 0 : (byte) r.nextInt(256);
            }
            IpPrefix p = IpPrefix.host(a);
            assertThat(IpPrefix.parse(p.toString())).isEqualTo(p);
        }
    }

    @Test
    void endpointsParse() {
        assertThat(Endpoint.parse("192.0.2.1:51820")).isEqualTo(new Endpoint("192.0.2.1", 51820));
        assertThat(Endpoint.parse("[2001:DB8::1]:51820").toString()).isEqualTo("[2001:db8::1]:51820");
        for (String bad : List.of("192.0.2.1", "192.0.2.1:0", "2001:db8::1:51820", "[2001:db8::1]", "host:1")) {
            assertThatThrownBy(() -> Endpoint.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void createdNetworkGetsARandomUla48() {
        Network n = Network.create("prod", new Random(7));
        assertThat(n.ipv6().length()).isEqualTo(48);
        assertThat(IpPrefix.parse("fd00::/8").contains(n.ipv6())).isTrue();
        assertThat(n.ipv4()).isEqualTo(IpPrefix.parse("100.64.0.0/10"));
        assertThat(n.mtu()).isEqualTo(1280);
        assertThat(Network.create("prod", new Random(8)).ipv6()).isNotEqualTo(n.ipv6());
    }
}
