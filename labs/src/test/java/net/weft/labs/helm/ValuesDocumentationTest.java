package net.weft.labs.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every chart value is documented twice: by a comment in values.yaml and by a row of the README's table. */
class ValuesDocumentationTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");

    @Test
    void everyValueHasADocumentationComment() {
        ValuesFile values = ValuesFile.read(Chart.dir().resolve("values.yaml"));
        assertThat(values.problems()).isEmpty();
        assertThat(values.documented()).contains("coordinator.replicas", "db.passwordSecret.name", "onRamps", "node.enabled",
                "serviceMonitor.enabled");
    }

    @Test
    void theReadmeTableListsEveryValueAndNoOther() throws IOException {
        Set<String> rows = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Chart.dir().resolve("README.md"), StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.add(m.group(1));
            }
        }
        Set<String> documented = ValuesFile.read(Chart.dir().resolve("values.yaml")).documented();
        assertThat(rows).as("README rows missing from values.yaml").isSubsetOf(documented);
        assertThat(documented).as("values missing from the README's table").isSubsetOf(rows);
    }
}
