package net.weft.topology.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Network;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Provider;
import net.weft.topology.model.Role;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    static String resource(String name) throws IOException {
        try (InputStream in = SpecParserTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    final SpecParser parser = new SpecParser(SpecFixturesTest.DEFAULT_IPV6, SpecFixturesTest.JOINED);

    @Test
    void validSpecWithEveryKindParses() throws Exception {
        NetworkSpec spec = parser.parse("every-kind.yaml", resource("/spec/valid/every-kind.yaml"));

        assertThat(spec.network()).isEqualTo(new Network("prod", IpPrefix.parse("100.64.0.0/10"),
                IpPrefix.parse("fd7a:115c:a1e0::/48"), 1280, Duration.ofSeconds(25), Duration.ofSeconds(90)));
        assertThat(spec.nodes()).extracting(NodeDeclaration::id).containsExactly("gw-use1-a", "relay-euw1", "relay-use1");
        NodeDeclaration relay = spec.nodes().get(2);
        assertThat(relay.hostname()).isEqualTo("relay-use1.example");
        assertThat(relay.roles()).containsExactly(Role.RELAY);
        assertThat(relay.reachable()).isTrue();
        assertThat(relay.addresses()).extracting(IpPrefix::toString)
                .containsExactly("100.64.0.10/32", "fd7a:115c:a1e0::a/128");
        assertThat(relay.endpoints()).extracting(Object::toString)
                .containsExactly("192.0.2.10:51820", "[2001:db8::10]:51820");
        assertThat(relay.publicKey().toBase64()).isEqualTo("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");

        OnRamp aws = spec.onRamps().get(0);
        assertThat(aws.name()).isEqualTo("aws-prod-use1");
        assertThat(aws.provider()).isEqualTo(Provider.AWS);
        assertThat(aws.vpc()).isEqualTo("vpc-0a1b2c3d");
        assertThat(aws.cidrs()).containsExactly(IpPrefix.parse("198.18.0.0/24"));
        assertThat(aws.gateways()).containsExactly(new Gateway("gw-use1-a", 200), new Gateway("gw-use1-b", 100));
        assertThat(aws.snat()).isTrue();
        assertThat(aws.healthCheck().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(aws.healthCheck().failureThreshold()).isEqualTo(3);
        assertThat(aws.healthCheck().targets()).extracting(Object::toString).containsExactly("198.18.0.10:80");
        assertThat(spec.onRamps().get(1).provider()).isEqualTo(Provider.GCP);

        assertThat(spec.links()).containsExactly(new BackboneLink("use1-euw1", "relay-euw1", "relay-use1", 70));
    }

    @Test
    void withoutNetworkDocumentTheDefaultsAndTheCreatedUlaApply() throws Exception {
        NetworkSpec spec = parser.parse("minimal.yaml", resource("/spec/valid/minimal.yaml"));

        assertThat(spec.network().ipv4()).isEqualTo(Network.DEFAULT_IPV4);
        assertThat(spec.network().ipv6()).isEqualTo(SpecFixturesTest.DEFAULT_IPV6);
        assertThat(spec.network().mtu()).isEqualTo(1280);
        assertThat(spec.onRamps()).singleElement().extracting(OnRamp::provider).isEqualTo(Provider.GENERIC);
    }

    @Test
    void severalFilesAreOneSpecAndProblemsNameTheirFile() throws Exception {
        String ramp = resource("/spec/valid/minimal.yaml");
        assertThatThrownBy(() -> parser.parse(List.of(new SpecParser.Source("a.yaml", ramp),
                new SpecParser.Source("b.yaml", ramp))))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems())
                        .extracting(SpecProblem::toString)
                        .containsExactly(
                                "b.yaml:5: OnRamp/generic-lab: metadata.name: duplicate name: OnRamp/generic-lab is already declared at a.yaml:5",
                                "b.yaml:10: OnRamp/generic-lab: spec.cidrs[0]: 198.18.0.0/15 overlaps 198.18.0.0/15 of OnRamp/generic-lab spec.cidrs[0] at a.yaml:10"));
    }

    @Test
    void exceptionMessageListsEveryProblem() {
        assertThatThrownBy(() -> parser.parse("x.yaml", "apiVersion: v1\nkind: Thing\n"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("x.yaml:1: document 1: apiVersion: unsupported apiVersion \"v1\"")
                .hasMessageContaining("x.yaml:2: document 1: kind: unknown kind \"Thing\"")
                .hasMessageContaining("x.yaml:1: document 1: metadata: required field is missing");
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.format(Duration.ofMillis(90_500))).isEqualTo("1m30s500ms");
        for (String bad : List.of("", "1", "1x", "-1s", "1.5s", "s", "1s ")) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
