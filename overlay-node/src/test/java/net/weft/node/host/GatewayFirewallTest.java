package net.weft.node.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GatewayFirewall} on real forwarded flows between three namespaces of the test's own. A veth
 * stands in for the overlay TUN: the client's SYNs leave with the MSS of a 1500-byte link (1460 / 1440)
 * and the firewall, told the overlay MTU is 1420, must clamp them to 1380 / 1360 on the way in and the
 * VPC's SYN-ACKs the same on the way out. nft counters in the client and VPC namespaces count the SYNs
 * that arrive with the clamped MSS next to all SYNs. Needs root.
 *
 * <pre>
 *   client ns                     gateway ns                                vpc ns
 *   wc0 100.64.0.9/24  ---------  wo0 100.64.0.1/24   wg1 198.18.0.1/24  ---------  wv0 198.18.0.10/24
 *       fd00:64::9/64                 fd00:64::1/64       fd00:18::1/64                 fd00:18::10/64
 *   (bash /dev/tcp)               (overlay = wo0, forwarding on,            (PeerAddressServer :8080
 *                                  table inet weft_wo0)                      answers the source it saw)
 * </pre>
 */
class GatewayFirewallTest {

    private static final String OVERLAY_IF = "wo0";
    private static final int OVERLAY_MTU = 1420;
    private static final int PORT = 8080;
    private static final String VPC_V4 = "198.18.0.10";
    private static final String VPC_V6 = "fd00:18::10";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Namespaces netns;
    private static Command client;
    private static Command gateway;
    private static Command vpc;
    private static Forwarding forwarding;
    private static Process server;

    @BeforeAll
    static void buildLab() throws Exception {
        Namespaces.requireRoot("GatewayFirewallTest");
        netns = new Namespaces();
        String c = netns.add("client");
        String g = netns.add("gw");
        String v = netns.add("vpc");
        client = Command.inNamespace(c);
        gateway = Command.inNamespace(g);
        vpc = Command.inNamespace(v);
        Namespaces.host("ip", "link", "add", "wc0", "netns", c, "type", "veth", "peer", "name", OVERLAY_IF, "netns", g);
        Namespaces.host("ip", "link", "add", "wg1", "netns", g, "type", "veth", "peer", "name", "wv0", "netns", v);
        link(client, "wc0", "100.64.0.9/24", "fd00:64::9/64");
        link(gateway, OVERLAY_IF, "100.64.0.1/24", "fd00:64::1/64");
        link(gateway, "wg1", "198.18.0.1/24", "fd00:18::1/64");
        link(vpc, "wv0", VPC_V4 + "/24", VPC_V6 + "/64");
        client.run("ip", "route", "add", "default", "via", "100.64.0.1");
        client.run("ip", "-6", "route", "add", "default", "via", "fd00:64::1");
        vpc.run("ip", "route", "add", "default", "via", "198.18.0.1");
        vpc.run("ip", "-6", "route", "add", "default", "via", "fd00:18::1");
        forwarding = new Forwarding(gateway);
        forwarding.enableIpv4();
        forwarding.enableIpv6();

        vpc.run(probeTable("dport", "syn", 1380, 1360), List.of("nft", "-f", "-"));
        client.run(probeTable("sport", "syn | ack", 1380, 1360), List.of("nft", "-f", "-"));
        startServer(v);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) {
            server.getOutputStream().close();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (netns != null) {
            netns.close();
        }
    }

    @AfterEach
    void deleteTable() throws IOException {
        if (gateway != null) {
            gateway.run("table inet weft_wo0\ndelete table inet weft_wo0\n", List.of("nft", "-f", "-"));
        }
    }

    @Test
    void withSnatTheVpcSeesTheGatewaysVpcSideAddress() throws Exception {
        new GatewayFirewall(gateway).apply(OVERLAY_IF, OVERLAY_MTU,
                List.of(new SnatRule(List.of(IpPrefix.parse("198.18.0.0/24"), IpPrefix.parse("fd00:18::/64")))));

        assertThat(sourceSeenByVpc(VPC_V4)).isEqualTo("198.18.0.1");
        assertThat(sourceSeenByVpc(VPC_V6)).isEqualTo("fd00:18::1");
    }

    @Test
    void withoutSnatTheVpcSeesTheOverlaySource() throws Exception {
        new GatewayFirewall(gateway).apply(OVERLAY_IF, OVERLAY_MTU, List.of());

        assertThat(sourceSeenByVpc(VPC_V4)).isEqualTo("100.64.0.9");
        assertThat(sourceSeenByVpc(VPC_V6)).isEqualTo("fd00:64::9");
    }

    @Test
    void snatCoversOnlyTheRulesCidrs() throws Exception {
        new GatewayFirewall(gateway).apply(OVERLAY_IF, OVERLAY_MTU,
                List.of(new SnatRule(List.of(IpPrefix.parse("198.19.0.0/24")))));

        assertThat(sourceSeenByVpc(VPC_V4)).isEqualTo("100.64.0.9");
    }

    @Test
    void forwardedSynsHaveTheirMssClampedInBothDirections() throws Exception {
        // control: without the table the SYNs pass with the veth's MSS, so the clamped counters stay still
        Map<String, Long> before = counters();
        sourceSeenByVpc(VPC_V4);
        sourceSeenByVpc(VPC_V6);
        Map<String, Long> unclamped = delta(before, counters());
        assertThat(unclamped).containsEntry("vpc syn4", 1L).containsEntry("vpc syn6", 1L)
                .containsEntry("client syn4", 1L).containsEntry("client syn6", 1L)
                .containsEntry("vpc syn4_clamped", 0L).containsEntry("vpc syn6_clamped", 0L)
                .containsEntry("client syn4_clamped", 0L).containsEntry("client syn6_clamped", 0L);

        new GatewayFirewall(gateway).apply(OVERLAY_IF, OVERLAY_MTU, List.of());
        before = counters();
        sourceSeenByVpc(VPC_V4);
        sourceSeenByVpc(VPC_V6);
        Map<String, Long> clamped = delta(before, counters());
        // the SYN toward the VPC (in through the overlay) and the SYN-ACK back (out through it), per family
        assertThat(clamped).containsEntry("vpc syn4", 1L).containsEntry("vpc syn4_clamped", 1L)
                .containsEntry("vpc syn6", 1L).containsEntry("vpc syn6_clamped", 1L)
                .containsEntry("client syn4", 1L).containsEntry("client syn4_clamped", 1L)
                .containsEntry("client syn6", 1L).containsEntry("client syn6_clamped", 1L);
    }

    @Test
    void applyingTheSameInputTwiceLeavesTheSameRulesAndNewInputReplacesThem() throws Exception {
        GatewayFirewall firewall = new GatewayFirewall(gateway);
        List<SnatRule> snat = List.of(new SnatRule(List.of(IpPrefix.parse("198.18.0.0/24"))));
        firewall.apply(OVERLAY_IF, OVERLAY_MTU, snat);
        String first = gateway.run("nft", "list", "table", "inet", "weft_wo0");
        firewall.apply(OVERLAY_IF, OVERLAY_MTU, snat);
        assertThat(gateway.run("nft", "list", "table", "inet", "weft_wo0")).isEqualTo(first);
        assertThat(first).contains("masquerade", "maxseg size set 1380");

        firewall.apply(OVERLAY_IF, 1380, List.of());
        String replaced = gateway.run("nft", "list", "table", "inet", "weft_wo0");
        assertThat(replaced).contains("maxseg size set 1340").doesNotContain("masquerade", "1380");
        assertThat(sourceSeenByVpc(VPC_V4)).isEqualTo("100.64.0.9");
    }

    @Test
    void removeLeavesNoTable() throws Exception {
        GatewayFirewall firewall = new GatewayFirewall(gateway);
        firewall.apply(OVERLAY_IF, OVERLAY_MTU, List.of(new SnatRule(List.of(IpPrefix.parse("198.18.0.0/24")))));
        assertThat(gateway.run("nft", "list", "tables")).contains("table inet weft_wo0");

        firewall.remove();
        assertThat(gateway.run("nft", "list", "tables")).doesNotContain("weft_");
        firewall.remove(); // nothing left to remove: no error
    }

    @Test
    void applyingForAnotherInterfaceDeletesTheFirstTable() throws Exception {
        GatewayFirewall firewall = new GatewayFirewall(gateway);
        firewall.apply(OVERLAY_IF, OVERLAY_MTU, List.of());
        firewall.apply("wg1", OVERLAY_MTU, List.of());
        assertThat(gateway.run("nft", "list", "tables")).contains("table inet weft_wg1").doesNotContain("weft_wo0");

        firewall.remove();
        assertThat(gateway.run("nft", "list", "tables")).doesNotContain("weft_");
    }

    private static void link(Command ns, String name, String v4, String v6) throws IOException {
        ns.run("ip", "addr", "add", v4, "dev", name);
        ns.run("ip", "addr", "add", v6, "dev", name, "nodad");
        ns.run("ip", "link", "set", name, "up");
    }

    /**
     * A table of counters for TCP SYNs on the server port: every SYN of a family, and those whose MSS is
     * exactly the clamped value. {@code flags} is {@code syn} (toward the server) or {@code syn | ack}.
     */
    private static String probeTable(String portField, String flags, int mss4, int mss6) {
        String match = "tcp " + portField + " " + PORT + " tcp flags & (syn | ack) == " + flags;
        return "table inet weft_probe {\n"
                + "  counter syn4 {}\n  counter syn4_clamped {}\n  counter syn6 {}\n  counter syn6_clamped {}\n"
                + "  chain input {\n    type filter hook input priority 0; policy accept;\n"
                + "    meta nfproto ipv4 " + match + " counter name syn4\n"
                + "    meta nfproto ipv4 " + match + " tcp option maxseg size " + mss4 + " counter name syn4_clamped\n"
                + "    meta nfproto ipv6 " + match + " counter name syn6\n"
                + "    meta nfproto ipv6 " + match + " tcp option maxseg size " + mss6 + " counter name syn6_clamped\n"
                + "  }\n}\n";
    }

    /** The probe counters of both ends, named {@code "vpc syn4"}, {@code "client syn6_clamped"}, ... */
    private static Map<String, Long> counters() throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (Map.Entry<String, Command> side : Map.of("vpc", vpc, "client", client).entrySet()) {
            JsonNode all = JSON.readTree(side.getValue().run("nft", "-j", "list", "counters", "table", "inet", "weft_probe"));
            for (JsonNode item : all.get("nftables")) {
                JsonNode counter = item.get("counter");
                if (counter != null) {
                    out.put(side.getKey() + " " + counter.get("name").asText(), counter.get("packets").asLong());
                }
            }
        }
        return out;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new HashMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        return out;
    }

    /** Connects from the client namespace to the VPC server and returns the source address it answers. */
    private static String sourceSeenByVpc(String address) throws IOException {
        String line = client.run("bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + PORT
                + " && IFS= read -r -t 5 line <&3 && echo \"$line\"").strip();
        return IpPrefix.format(IpPrefix.parseAddress(line));
    }

    private static void startServer(String namespace) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = new File(PeerAddressServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        server = new ProcessBuilder("ip", "netns", "exec", namespace, java, "-cp", classes,
                PeerAddressServer.class.getName(), Integer.toString(PORT))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "read failed: " + e;
            }
        }, r -> Thread.ofVirtual().start(r));
        assertThat(ready.get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)).isEqualTo("ready");
    }
}
