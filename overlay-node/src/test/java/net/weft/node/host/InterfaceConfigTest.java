package net.weft.node.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InterfaceConfig} against the kernel, on a TUN device in a namespace of the test's own
 * ({@code ip tuntap add}: a real TUN no process holds, so it has no carrier). Needs root.
 *
 * <pre>
 *   namespace weft-host-if-RUN
 *     weft-t0 (tun)  100.64.0.5/32  fd00:64::5/128
 *       routes proto 87 (Weft's) + routes added by hand + the kernel's
 * </pre>
 */
class InterfaceConfigTest {

    private static final String IF = "weft-t0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Namespaces netns;
    private Command ns;
    private InterfaceConfig config;

    @BeforeEach
    void createInterface() throws Exception {
        Namespaces.requireRoot("InterfaceConfigTest");
        netns = new Namespaces();
        ns = Command.inNamespace(netns.add("if"));
        ns.run("ip", "tuntap", "add", "dev", IF, "mode", "tun");
        config = new InterfaceConfig(ns, IF);
        config.up(1420, List.of(p("100.64.0.5/32"), p("fd00:64::5/128")));
    }

    @AfterEach
    void deleteNamespace() {
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    void upSetsTheMtuTheAddressesAndTheLinkAndIsIdempotent() throws Exception {
        config.up(1420, List.of(p("100.64.0.5/32"), p("fd00:64::5/128")));

        JsonNode link = JSON.readTree(ns.run("ip", "-j", "link", "show", "dev", IF)).get(0);
        assertThat(link.get("mtu").asInt()).isEqualTo(1420);
        assertThat(link.get("flags").toString()).contains("\"UP\"");
        assertThat(addresses()).containsExactlyInAnyOrder("100.64.0.5/32", "fd00:64::5/128");
    }

    @Test
    void upRefusesANetworkPrefixAsAnAddressAndAnMtuTooSmallForIpv6() {
        assertThatThrownBy(() -> config.up(1420, List.of(p("100.64.0.0/10"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a host prefix");
        assertThatThrownBy(() -> config.up(1000, List.of(p("fd00:64::5/128"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1280..65535");
    }

    @Test
    void syncMakesOurRoutesExactlyTheWantedOnesAndLeavesOthersAlone() throws Exception {
        ns.run("ip", "route", "add", "100.64.9.0/24", "dev", IF);
        ns.run("ip", "-6", "route", "add", "fd00:99::/64", "dev", IF);

        config.syncRoutes(List.of(p("100.64.0.7/32"), p("100.64.0.8/32"), p("198.18.0.0/24"),
                p("fd00:64::7/128"), p("fd00:64::8/128"), p("fd00:18::/64")));
        assertThat(routesWithOurProtocol()).containsExactlyInAnyOrder("100.64.0.7/32", "100.64.0.8/32",
                "198.18.0.0/24", "fd00:64::7/128", "fd00:64::8/128", "fd00:18::/64");

        config.syncRoutes(List.of(p("100.64.0.8/32"), p("100.64.0.10/32"), p("fd00:64::8/128"), p("::/0")));
        assertThat(routesWithOurProtocol())
                .containsExactlyInAnyOrder("100.64.0.8/32", "100.64.0.10/32", "fd00:64::8/128", "::/0");
        assertThat(config.ourRoutes()).containsExactlyInAnyOrder(p("100.64.0.8/32"), p("100.64.0.10/32"),
                p("fd00:64::8/128"), p("::/0"));

        assertThat(allRoutes("-4")).as("the hand-made IPv4 route survives").contains("100.64.9.0/24 -");
        assertThat(allRoutes("-6")).as("the hand-made route and the kernel's for our address survive")
                .contains("fd00:99::/64 -", "fd00:64::5/128 kernel");
    }

    @Test
    void aWantedPrefixWithAForeignRouteIsReportedAndLeftWhileTheRestIsApplied() throws Exception {
        ns.run("ip", "route", "add", "100.64.0.7/32", "dev", IF);

        assertThatThrownBy(() -> config.syncRoutes(List.of(p("100.64.0.7/32"), p("100.64.0.8/32"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not install")
                .hasMessageContaining("100.64.0.7/32")
                .hasMessageContaining("File exists");

        assertThat(routesWithOurProtocol()).containsExactly("100.64.0.8/32");
        assertThat(allRoutes("-4")).contains("100.64.0.7/32 -");
    }

    @Test
    void downRemovesOurRoutesOnlyAndIsANoOpOnceTheInterfaceIsGone() throws Exception {
        ns.run("ip", "route", "add", "100.64.9.0/24", "dev", IF);
        config.syncRoutes(List.of(p("100.64.0.7/32"), p("fd00:64::7/128")));

        config.down();
        assertThat(routesWithOurProtocol()).isEmpty();
        assertThat(allRoutes("-4")).contains("100.64.9.0/24 -");

        ns.run("ip", "link", "del", "dev", IF);
        config.down();
    }

    @Test
    void tenThousandRoutesSyncAndResyncInOneBatchEach() throws Exception {
        // 5,000 IPv4 /32s and 5,000 IPv6 /128s; the resync swaps half of each family for new ones
        List<IpPrefix> first = new ArrayList<>();
        List<IpPrefix> second = new ArrayList<>();
        for (int i = 0; i < 7_500; i++) {
            IpPrefix v4 = p("100.65." + (i >> 8) + "." + (i & 0xff) + "/32");
            IpPrefix v6 = p("fd00:65::" + Integer.toHexString(i) + "/128");
            if (i < 5_000) {
                first.add(v4);
                first.add(v6);
            }
            if (i >= 2_500) {
                second.add(v4);
                second.add(v6);
            }
        }

        Duration sync = timed(() -> config.syncRoutes(first));
        assertThat(config.ourRoutes()).hasSize(10_000).containsAll(first);
        Duration resync = timed(() -> config.syncRoutes(second));
        assertThat(config.ourRoutes()).hasSize(10_000).containsAll(second);
        Duration unchanged = timed(() -> config.syncRoutes(second));
        Duration down = timed(() -> config.down());
        assertThat(config.ourRoutes()).isEmpty();

        System.out.printf("InterfaceConfig 10,000 routes (5,000 IPv4 + 5,000 IPv6): sync %d ms, resync swapping 5,000 %d ms, "
                        + "unchanged %d ms, down %d ms%n",
                sync.toMillis(), resync.toMillis(), unchanged.toMillis(), down.toMillis());
        // well under a second on the 2-vCPU machine; the bound leaves room for a loaded CI
        assertThat(sync).isLessThan(Duration.ofSeconds(5));
        assertThat(resync).isLessThan(Duration.ofSeconds(5));
    }

    private interface Step {
        void run() throws IOException;
    }

    private static Duration timed(Step step) throws IOException {
        long start = System.nanoTime();
        step.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private List<String> addresses() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode a : JSON.readTree(ns.run("ip", "-j", "addr", "show", "dev", IF)).get(0).get("addr_info")) {
            if (!a.get("local").asText().startsWith("fe80")) {
                out.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt());
            }
        }
        return out;
    }

    /** The routes with protocol 87 as {@code ip} lists them, read independently of {@link InterfaceConfig}. */
    private Set<String> routesWithOurProtocol() throws IOException {
        Set<String> out = new HashSet<>();
        for (String family : List.of("-4", "-6")) {
            for (JsonNode r : JSON.readTree(ns.run("ip", family, "-j", "route", "show", "dev", IF, "proto", "87"))) {
                out.add(canonical(r.get("dst").asText(), family));
            }
        }
        return out;
    }

    /** Every main-table route of the interface as "prefix protocol" ({@code -} for a route added by hand). */
    private Set<String> allRoutes(String family) throws IOException {
        Set<String> out = new HashSet<>();
        for (JsonNode r : JSON.readTree(ns.run("ip", family, "-j", "route", "show", "dev", IF))) {
            out.add(canonical(r.get("dst").asText(), family) + " " + r.path("protocol").asText("-"));
        }
        return out;
    }

    private static String canonical(String dst, String family) {
        if (dst.equals("default")) {
            return family.equals("-4") ? "0.0.0.0/0" : "::/0";
        }
        return IpPrefix.parse(dst).toString();
    }

    private static IpPrefix p(String text) {
        return IpPrefix.parse(text);
    }
}
