package net.weft.topology.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per failure mode under {@code spec/invalid/}: each file lists the exact problems it
 * must produce in {@code # expect:} comment lines, in order.
 */
class SpecFixturesTest {

    static final IpPrefix DEFAULT_IPV6 = IpPrefix.parse("fdd5:1d2e:3f40::/48");
    static final Set<String> JOINED = Set.of("gw-a", "gw-use1-b", "relay-a", "relay-b");

    static Stream<Path> invalidFixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(SpecFixturesTest.class.getResource("/spec/invalid").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFixtures")
    void invalidFixtureReportsExactlyTheExpectedProblems(Path fixture) throws IOException {
        String text = Files.readString(fixture, StandardCharsets.UTF_8);
        String file = fixture.getFileName().toString();
        List<String> expected = text.lines().filter(l -> l.startsWith("# expect: "))
                .map(l -> l.substring("# expect: ".length())).toList();
        assertThat(expected).as("fixture %s lists its expected problems", file).isNotEmpty();

        SpecParser parser = new SpecParser(DEFAULT_IPV6, JOINED);
        assertThatThrownBy(() -> parser.parse(file, text))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(
                        e.problems().stream().map(SpecProblem::toString).toList())
                        .as(file).containsExactlyElementsOf(expected));
    }
}
