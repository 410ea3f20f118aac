package net.weft.labs.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * The chart under {@code helm/weft} and its rendered manifests. Renders go through helm-java (the Helm
 * library itself, no {@code helm} binary) as release {@value #RELEASE} in namespace {@value #NAMESPACE},
 * against {@link FakeKubeApi} for the chart's {@code lookup} calls.
 */
final class Chart {

    static final String RELEASE = "weft";
    static final String NAMESPACE = "mesh";

    private static final YAMLMapper YAML = new YAMLMapper();

    private Chart() {
    }

    /** The repository root: surefire's {@code weft.repoRoot}, else the parent of the working directory (labs/). */
    static Path repoRoot() {
        String root = System.getProperty("weft.repoRoot");
        Path p = root != null ? Path.of(root) : Path.of("..");
        return p.toAbsolutePath().normalize();
    }

    static Path dir() {
        return repoRoot().resolve("helm/weft");
    }

    /** Renders the chart with {@code valuesYaml} (may be empty: the defaults) over the values file's defaults. */
    static Rendered render(String valuesYaml) {
        FakeKubeApi.shared();
        return renderAgain(valuesYaml);
    }

    /** Renders without resetting {@link FakeKubeApi}: the Secrets a test put there stay. */
    static Rendered renderAgain(String valuesYaml) {
        Path values = null;
        try {
            values = Files.createTempFile("weft-values-", ".yaml");
            Files.writeString(values, valuesYaml, StandardCharsets.UTF_8);
            String text = new Helm(dir()).template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withValuesFile(values)
                    .call();
            return Rendered.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (values != null) {
                try {
                    Files.deleteIfExists(values);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** A rendered release: its text and each manifest as a tree. */
    record Rendered(String text, List<JsonNode> manifests) {

        static Rendered parse(String text) throws IOException {
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                        docs.add(doc);
                    }
                }
            }
            return new Rendered(text, List.copyOf(docs));
        }

        List<JsonNode> ofKind(String kind) {
            return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
        }

        Optional<JsonNode> find(String kind, String name) {
            return ofKind(kind).stream().filter(m -> name.equals(m.path("metadata").path("name").asText())).findFirst();
        }

        JsonNode one(String kind, String name) {
            return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + text));
        }

        /** The only manifest of {@code kind}. */
        JsonNode only(String kind) {
            List<JsonNode> all = ofKind(kind);
            if (all.size() != 1) {
                throw new AssertionError("want one " + kind + ", got " + all.size() + " in:\n" + text);
            }
            return all.getFirst();
        }
    }

    /** The first container of a workload's pod template. */
    static JsonNode container(JsonNode workload) {
        return workload.path("spec").path("template").path("spec").path("containers").path(0);
    }

    /** A container's environment variable by name. */
    static Optional<JsonNode> env(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText())).findFirst();
    }

    /** A container's plain (non-secret) environment value by name. */
    static String envValue(JsonNode container, String name) {
        return env(container, name).map(e -> e.path("value").asText())
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + container));
    }

    /** A pod template's volume by name. */
    static JsonNode volume(JsonNode workload, String name) {
        return StreamSupport.stream(workload.path("spec").path("template").path("spec").path("volumes").spliterator(), false)
                .filter(v -> name.equals(v.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
