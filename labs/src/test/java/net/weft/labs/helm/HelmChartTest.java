package net.weft.labs.helm;

import static net.weft.labs.helm.Chart.NAMESPACE;
import static net.weft.labs.helm.Chart.container;
import static net.weft.labs.helm.Chart.env;
import static net.weft.labs.helm.Chart.envValue;
import static net.weft.labs.helm.Chart.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import net.weft.labs.helm.Chart.Rendered;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.HealthCheck;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Network;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Provider;
import net.weft.topology.spec.NetworkSpec;
import net.weft.topology.spec.NodeDeclaration;
import net.weft.topology.spec.SpecParser;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, linted and rendered by the Helm library (helm-java): the defaults, the network spec round
 * trip into topology's parser, the admin credential without a default, the node DaemonSet's privileges, and the
 * optional parts.
 */
class HelmChartTest {

    /** Every optional part switched on, with a spec, node agents and their metrics. */
    private static final String EVERYTHING_ON = """
            coordinator:
              ingress:
                enabled: true
                className: nginx
                tls:
                  - secretName: weft-tls
                    hosts: [weft.example.test]
              persistence:
                enabled: true
            db:
              host: pg.example.test
              params: sslmode=require
            onRamps:
              - name: vpc-a
                provider: generic
                region: lab
                vpc: vpc-a
                cidrs: [198.18.0.0/24]
                gateways:
                  - node: gw-a
                    priority: 100
            node:
              enabled: true
              endpoints: ["198.51.100.7:51820"]
              metrics:
                enabled: true
            serviceMonitor:
              enabled: true
            """;

    /** The round trip's spec: a network, gateway and relay nodes, two on-ramps and a backbone link. */
    private static final String SPEC_VALUES = """
            network:
              name: prod
              ipv4: 100.64.0.0/10
              ipv6: fd7a:115c:a1e0::/48
              mtu: 1380
            nodes:
              - name: gw-use1-a
                roles: [gateway]
              - name: gw-use1-b
                roles: [gateway]
                region: us-east-1
              - name: relay-fra
                roles: [relay]
                reachable: true
                endpoints: ["203.0.113.20:51820"]
              - name: relay-iad
                roles: [relay]
                reachable: true
                endpoints: ["198.51.100.20:51820"]
            onRamps:
              - name: aws-prod-use1
                provider: aws
                region: us-east-1
                vpc: vpc-0a1b2c3d
                cidrs: [198.18.0.0/24, 198.18.1.0/24]
                gateways:
                  - node: gw-use1-a
                    priority: 200
                  - node: gw-use1-b
                    priority: 100
                snat: true
                healthCheck:
                  targets: ["198.18.0.10:80"]
                  interval: 2s
                  failureThreshold: 5
              - name: lab-generic
                provider: generic
                region: lab
                vpc: "0042"
                cidrs: [198.19.0.0/24]
                gateways:
                  - node: gw-use1-b
                    priority: 10
            backboneLinks:
              - name: fra-iad
                between: [relay-fra, relay-iad]
                cost: 80
            """;

    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    // (a) the defaults lint and render valid manifests

    @Test
    void defaultsLintCleanUnderStrict() {
        LintResult lint = new Helm(Chart.dir()).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultsRenderACoordinatorClusterOfThreeAndNothingOptional() {
        Rendered r = Chart.render("");
        assertWellFormed(r);
        assertThat(r.manifests()).extracting(m -> m.path("kind").asText())
                .containsExactlyInAnyOrder("PodDisruptionBudget", "Secret", "Service", "Service", "StatefulSet");

        JsonNode sts = r.one("StatefulSet", "weft-coordinator");
        assertThat(sts.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(sts.path("spec").path("podManagementPolicy").asText()).isEqualTo("Parallel");
        JsonNode headless = r.one("Service", sts.path("spec").path("serviceName").asText());
        assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(headless.path("spec").path("publishNotReadyAddresses").asBoolean()).isTrue();
        assertThat(ports(headless)).contains(5701);

        JsonNode c = container(sts);
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(c.path("resources").path("requests").path("memory").asText()).isNotEmpty();
        // members find each other through the headless Service's DNS records, not a list
        assertThat(envValue(c, "WEFT_CLUSTER_KUBERNETES_SERVICE_DNS"))
                .isEqualTo(headless.path("metadata").path("name").asText() + ".mesh.svc.cluster.local");
        assertThat(envValue(c, "WEFT_CLUSTER_MEMBERS")).isEmpty();
        assertThat(envValue(c, "WEFT_DB_KIND")).isEqualTo("postgresql");
        assertThat(envValue(c, "WEFT_DB_URL")).isEqualTo("jdbc:postgresql://weft-postgresql:5432/weft");
        assertThat(env(c, "WEFT_SPEC")).as("no spec values: no spec file, the API's spec is not overwritten").isEmpty();
        assertThat(r.one("PodDisruptionBudget", "weft-coordinator").path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        // the coordinator runs unprivileged
        JsonNode pod = sts.path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(pod.path("enableServiceLinks").asBoolean(true)).isFalse();
    }

    @Test
    void everyOptionOnStillRendersWellFormedManifests() {
        Rendered r = Chart.render(EVERYTHING_ON);
        assertWellFormed(r);
        assertThat(r.ofKind("Ingress")).hasSize(1);
        assertThat(r.ofKind("ConfigMap")).hasSize(1);
        assertThat(r.ofKind("DaemonSet")).hasSize(1);
        JsonNode sts = r.only("StatefulSet");
        assertThat(sts.path("spec").path("volumeClaimTemplates").path(0).path("metadata").path("name").asText()).isEqualTo("data");
        assertThat(envValue(container(sts), "WEFT_DB_URL")).isEqualTo("jdbc:postgresql://pg.example.test:5432/weft?sslmode=require");
    }

    @Test
    void aSingleH2CoordinatorRendersButAnH2ClusterIsRefused() {
        Rendered single = Chart.render("coordinator: {replicas: 1, persistence: {enabled: true}}\ndb: {kind: h2}\n");
        JsonNode c = container(single.only("StatefulSet"));
        assertThat(envValue(c, "WEFT_DB_KIND")).isEqualTo("h2");
        assertThat(env(c, "WEFT_DB_URL")).isEmpty();
        assertThat(env(c, "WEFT_DB_PASSWORD")).isEmpty();
        assertThat(single.ofKind("PodDisruptionBudget")).as("one member: nothing to budget").isEmpty();

        assertThatThrownBy(() -> Chart.render("db: {kind: h2}\n"))
                .hasMessageContaining("a cluster of more than one coordinator needs db.kind postgresql");
        assertThatThrownBy(() -> Chart.render("db: {kind: mysql}\n")).hasMessageContaining("db.kind must be h2 or postgresql");
    }

    @Test
    void theCoordinatorsEnvironmentNamesExactlyItsWeftSettings() {
        Rendered r = Chart.render(EVERYTHING_ON);
        Set<String> set = new TreeSet<>();
        for (JsonNode e : container(r.only("StatefulSet")).path("env")) {
            if (e.path("name").asText().startsWith("WEFT_")) {
                set.add(e.path("name").asText());
            }
        }
        Set<String> settings = new TreeSet<>();
        for (String key : WeftConfigKeys.read(Chart.repoRoot())) {
            settings.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        assertThat(set).as("every weft.* setting has its value in the chart, and no variable names a setting that "
                + "does not exist (WeftConfig's keys: %s)", settings).isEqualTo(settings);
    }

    // (b) on-ramps in the values come out as a spec ConfigMap the coordinator's parser reads back the same

    @Test
    void specValuesRoundTripThroughTheConfigMapIntoTopologysParser() throws Exception {
        Rendered r = Chart.render(SPEC_VALUES);
        JsonNode cm = r.one("ConfigMap", "weft-spec");
        String text = cm.path("data").path("network.yaml").asText();
        assertThat(text).contains("apiVersion: weft.dev/v1alpha1");

        NetworkSpec spec = new SpecParser(IpPrefix.parse("fd00:1:2::/48"), Set.of()).parse("network.yaml", text);

        assertThat(spec.onRamps()).containsExactly(
                new OnRamp("aws-prod-use1", Provider.AWS, "us-east-1", "vpc-0a1b2c3d",
                        List.of(IpPrefix.parse("198.18.0.0/24"), IpPrefix.parse("198.18.1.0/24")),
                        List.of(new Gateway("gw-use1-a", 200), new Gateway("gw-use1-b", 100)), true,
                        new HealthCheck(List.of(Endpoint.parse("198.18.0.10:80")), Duration.ofSeconds(2), 5)),
                new OnRamp("lab-generic", Provider.GENERIC, "lab", "0042", List.of(IpPrefix.parse("198.19.0.0/24")),
                        List.of(new Gateway("gw-use1-b", 10)), false, HealthCheck.DEFAULT));
        assertThat(spec.network()).isEqualTo(new Network("prod", IpPrefix.parse("100.64.0.0/10"),
                IpPrefix.parse("fd7a:115c:a1e0::/48"), 1380, Network.DEFAULT_PERSISTENT_KEEPALIVE,
                Network.DEFAULT_GATEWAY_HOLD_DOWN));
        assertThat(spec.links()).containsExactly(new BackboneLink("fra-iad", "relay-fra", "relay-iad", 80));
        assertThat(spec.nodes()).extracting(NodeDeclaration::id)
                .containsExactly("gw-use1-a", "gw-use1-b", "relay-fra", "relay-iad");
        assertThat(spec.nodes().get(2).endpoints()).containsExactly(Endpoint.parse("203.0.113.20:51820"));

        // the coordinator reads that file: WEFT_SPEC names where the ConfigMap is mounted
        JsonNode sts = r.only("StatefulSet");
        JsonNode c = container(sts);
        assertThat(envValue(c, "WEFT_SPEC")).isEqualTo("/etc/weft/spec/network.yaml");
        JsonNode mount = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                .filter(m -> m.path("name").asText().equals("spec")).findFirst().orElseThrow();
        assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/weft/spec");
        assertThat(mount.has("subPath")).as("a subPath mount would never see ConfigMap updates").isFalse();
        JsonNode vol = volume(sts, "spec").path("configMap");
        assertThat(vol.path("name").asText()).isEqualTo("weft-spec");
        assertThat(vol.path("items").path(0).path("key").asText()).isEqualTo("network.yaml");
        assertThat(vol.path("items").path(0).path("path").asText()).isEqualTo("network.yaml");
    }

    @Test
    void aSpecItemWithoutANameIsRefused() {
        assertThatThrownBy(() -> Chart.render("""
                backboneLinks:
                  - between: [a, b]
                    cost: 1
                """)).hasMessageContaining("every BackboneLink in the values needs a name");
    }

    // (c) no rendered manifest carries a default secret

    @Test
    void theAdminCredentialIsGeneratedAtRandomOnEveryFreshInstall() {
        FakeKubeApi api = FakeKubeApi.shared(); // a cluster without the Secret
        String first = adminCredential(Chart.renderAgain(""));
        // the chart looked for the Secret first: the lookup that keeps the credential across upgrades
        assertThat(api.requests()).contains("/api/v1/namespaces/mesh/secrets/weft-admin");
        String second = adminCredential(Chart.renderAgain(""));
        assertThat(first).matches("[A-Za-z0-9]{48}");
        assertThat(second).matches("[A-Za-z0-9]{48}").isNotEqualTo(first);
    }

    @Test
    void anUpgradeKeepsTheAdminCredentialAlreadyInTheCluster() {
        FakeKubeApi api = FakeKubeApi.shared();
        String existing = "Q".repeat(48);
        api.putSecret(NAMESPACE, "weft-admin",
                Map.of("credential", Base64.getEncoder().encodeToString(existing.getBytes(StandardCharsets.UTF_8))));
        assertThat(adminCredential(Chart.renderAgain(""))).isEqualTo(existing);
        assertThat(adminCredential(Chart.renderAgain(""))).isEqualTo(existing);
        assertThat(api.requests()).contains("/api/v1/namespaces/mesh/secrets/weft-admin");
    }

    @Test
    void anExistingAdminSecretIsUsedAndNoneRendered() {
        Rendered r = Chart.render("adminCredential: {existingSecret: my-admin, key: cred}\n");
        assertThat(r.ofKind("Secret")).isEmpty();
        JsonNode secret = volume(r.only("StatefulSet"), "admin-credential").path("secret");
        assertThat(secret.path("secretName").asText()).isEqualTo("my-admin");
        assertThat(secret.path("items").path(0).path("key").asText()).isEqualTo("cred");
        // mounted where the coordinator takes the credential from: DATA_DIR/admin.credential
        JsonNode c = container(r.only("StatefulSet"));
        JsonNode mount = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                .filter(m -> m.path("name").asText().equals("admin-credential")).findFirst().orElseThrow();
        assertThat(mount.path("mountPath").asText()).isEqualTo(envValue(c, "WEFT_DATA_DIR") + "/admin.credential");
    }

    @Test
    void noManifestCarriesALiteralSecret() {
        for (String values : List.of("", EVERYTHING_ON)) {
            Rendered r = Chart.render(values);
            // the one Secret is the generated admin credential
            assertThat(r.ofKind("Secret")).extracting(s -> s.path("metadata").path("name").asText()).containsExactly("weft-admin");
            for (JsonNode m : r.manifests()) {
                for (JsonNode c : m.path("spec").path("template").path("spec").path("containers")) {
                    for (JsonNode e : c.path("env")) {
                        String name = e.path("name").asText();
                        if (name.matches("(?i).*(password|token|credential|secret).*")) {
                            assertThat(e.has("value")).as("%s in %s is given literally", name, m.path("kind").asText()).isFalse();
                            assertThat(e.path("valueFrom").path("secretKeyRef").path("name").asText()).isNotBlank();
                        }
                        assertThat(e.path("value").asText()).doesNotContainIgnoringCase("password=");
                    }
                }
            }
        }
        // and the values file has no place for a secret itself, only for the name of a Secret holding it
        ValuesFile.read(Chart.dir().resolve("values.yaml")).leaves().forEach((key, value) -> {
            if (key.matches("(?i).*(password|token|credential|secret).*")) {
                assertThat(key).as("a value that would hold a secret itself").matches(".*\\.(existingSecret|key|name)$");
            }
        });
        assertThat(ValuesFile.read(Chart.dir().resolve("values.yaml")).leaves()).containsEntry("adminCredential.existingSecret", "");
    }

    // (d) the node DaemonSet: NET_ADMIN and /dev/net/tun; ServiceMonitors only when asked for

    @Test
    void theNodeDaemonSetHasNetAdminTheTunDeviceAndItsTokenFromASecret() {
        Rendered r = Chart.render("node: {enabled: true}\n");
        JsonNode ds = r.one("DaemonSet", "weft-node");
        JsonNode pod = ds.path("spec").path("template").path("spec");
        JsonNode c = container(ds);
        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(pod.path("dnsPolicy").asText()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(c.path("securityContext").path("capabilities").path("add")).extracting(JsonNode::asText).contains("NET_ADMIN");
        assertThat(c.path("securityContext").path("privileged").asBoolean()).isFalse();

        JsonNode tunMount = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                .filter(m -> m.path("mountPath").asText().equals("/dev/net/tun")).findFirst()
                .orElseThrow(() -> new AssertionError("no /dev/net/tun mount"));
        JsonNode tun = volume(ds, tunMount.path("name").asText()).path("hostPath");
        assertThat(tun.path("path").asText()).isEqualTo("/dev/net/tun");
        assertThat(tun.path("type").asText()).isEqualTo("CharDevice");
        JsonNode state = volume(ds, "state").path("hostPath");
        assertThat(state.path("path").asText()).isEqualTo("/var/lib/weft");

        JsonNode token = env(c, "WEFT_TOKEN").orElseThrow().path("valueFrom").path("secretKeyRef");
        assertThat(token.path("name").asText()).isEqualTo("weft-join-token");
        assertThat(token.path("key").asText()).isEqualTo("token");
        assertThat(envValue(c, "WEFT_COORDINATOR")).isEqualTo("http://weft-coordinator.mesh.svc.cluster.local:8080");
        assertThat(c.path("args")).extracting(JsonNode::asText)
                .contains("up", "--foreground", "--state-dir=/var/lib/weft", "--interface=weft0", "--listen-port=51820");
        assertThat(c.path("args")).extracting(JsonNode::asText).noneMatch(a -> a.startsWith("--metrics-listen"));
    }

    @Test
    void serviceMonitorsOnlyWhenEnabledAndTheNodesOnlyWithTheirMetrics() {
        assertThat(Chart.render("").ofKind("ServiceMonitor")).isEmpty();
        assertThat(Chart.render("node: {enabled: true, metrics: {enabled: true}}\n").ofKind("ServiceMonitor")).isEmpty();

        Rendered coordinatorOnly = Chart.render("serviceMonitor: {enabled: true}\nnode: {enabled: true}\n");
        assertThat(coordinatorOnly.ofKind("ServiceMonitor")).extracting(m -> m.path("metadata").path("name").asText())
                .containsExactly("weft-coordinator");
        JsonNode endpoint = coordinatorOnly.only("ServiceMonitor").path("spec").path("endpoints").path(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("port").asText()).isEqualTo("http");

        Rendered both = Chart.render(EVERYTHING_ON);
        assertThat(both.ofKind("ServiceMonitor")).extracting(m -> m.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("weft-coordinator", "weft-node");
        JsonNode node = both.one("ServiceMonitor", "weft-node").path("spec");
        assertThat(node.path("endpoints").path(0).path("path").asText()).isEqualTo("/metrics");
        // the node monitor finds its Service, and that Service the agents' metrics port
        JsonNode svc = both.one("Service", "weft-node-metrics");
        assertThat(labelsMatch(node.path("selector").path("matchLabels"), svc.path("metadata").path("labels"))).isTrue();
        assertThat(container(both.only("DaemonSet")).path("args")).extracting(JsonNode::asText)
                .contains("--metrics-listen=$(HOST_IP):9586");
    }

    // helpers

    /**
     * Every manifest has apiVersion, kind and a DNS-label metadata.name in the release's namespace; every
     * workload's selector matches its pod template; every Service selects the pods of some workload.
     */
    private static void assertWellFormed(Rendered r) {
        assertThat(r.manifests()).isNotEmpty();
        List<JsonNode> podLabels = new ArrayList<>();
        for (JsonNode m : r.manifests()) {
            String what = m.path("kind").asText() + " " + m.path("metadata").path("name").asText();
            assertThat(m.path("apiVersion").asText()).as("apiVersion of %s", what).isNotBlank();
            assertThat(m.path("kind").asText()).as("kind of %s", what).isNotBlank();
            assertThat(m.path("metadata").path("name").asText()).as("name of %s", what).matches(DNS_1123_LABEL).hasSizeLessThanOrEqualTo(63);
            assertThat(m.path("metadata").path("namespace").asText()).as("namespace of %s", what).isEqualTo(NAMESPACE);
            JsonNode template = m.path("spec").path("template");
            if (!template.isMissingNode()) {
                JsonNode labels = template.path("metadata").path("labels");
                assertThat(labelsMatch(m.path("spec").path("selector").path("matchLabels"), labels))
                        .as("%s: its selector matches its pods", what).isTrue();
                podLabels.add(labels);
            }
        }
        for (JsonNode svc : r.ofKind("Service")) {
            JsonNode selector = svc.path("spec").path("selector");
            assertThat(podLabels).as("pods for Service %s", svc.path("metadata").path("name").asText())
                    .anyMatch(labels -> labelsMatch(selector, labels));
        }
        Map<String, Integer> names = new HashMap<>();
        r.manifests().forEach(m -> names.merge(m.path("kind").asText() + "/" + m.path("metadata").path("name").asText(), 1, Integer::sum));
        assertThat(names).as("kind/name pairs are unique").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
    }

    private static boolean labelsMatch(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (var it = selector.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static List<Integer> ports(JsonNode service) {
        return StreamSupport.stream(service.path("spec").path("ports").spliterator(), false).map(p -> p.path("port").asInt()).toList();
    }

    private static String adminCredential(Rendered r) {
        String data = r.one("Secret", "weft-admin").path("data").path("credential").asText();
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }
}
