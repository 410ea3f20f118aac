package net.weft.labs.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's spec file ({@code --spec}): loaded at start, loaded again when it changes, and an
 * invalid edit refused with the running spec kept. A real coordinator process with its default H2 store.
 */
class SpecFileLabTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static String network(int mtu) {
        return """
                apiVersion: weft.dev/v1alpha1
                kind: Network
                metadata:
                  name: lab
                spec:
                  ipv4: 100.64.0.0/10
                  mtu: %d
                """.formatted(mtu);
    }

    @Test
    void specFileIsLoadedAtStartAndOnEveryChangeAndABadEditIsRefused() throws Exception {
        Path dir = CoordinatorProcess.labDir("spec-file");
        Path spec = dir.resolve("network.yaml");
        Files.writeString(spec, network(1280), StandardCharsets.UTF_8);
        try (CoordinatorProcess c = CoordinatorProcess.start("spec", CoordinatorProcess.freePort(), dir.resolve("data"),
                Map.of("spec", spec.toString(),
                        "cluster.name", "weft-spec-lab-" + UUID.randomUUID(),
                        "cluster.bind", "127.0.0.1",
                        "cluster.port", String.valueOf(CoordinatorProcess.freePort()),
                        "cluster.join-wait", "0s",
                        "lease.sweep-interval", "200ms"))) {
            c.awaitReady(Duration.ofSeconds(120));
            String admin = c.adminCredentialFile();
            assertThat(c.get("/api/v1/spec", admin).expect(200).body()).isEqualTo(network(1280));

            Files.writeString(spec, network(1380), StandardCharsets.UTF_8);
            awaitSpec(c, admin, network(1380));

            // an edit the spec parser refuses: the running spec stays, the log names the problem
            Files.writeString(spec, network(1380) + "  surprise: field\n", StandardCharsets.UTF_8);
            Instant deadline = Instant.now().plus(WITHIN);
            while (!c.logText().contains("refused") && Instant.now().isBefore(deadline)) {
                CoordinatorProcess.pause(100);
            }
            assertThat(c.logText()).as("the coordinator's log").contains("refused").contains("surprise");
            assertThat(c.get("/api/v1/spec", admin).expect(200).body()).isEqualTo(network(1380));

            // and a good edit after that is taken again
            Files.writeString(spec, network(1420), StandardCharsets.UTF_8);
            awaitSpec(c, admin, network(1420));
        }
    }

    private static void awaitSpec(CoordinatorProcess c, String admin, String expected) throws Exception {
        Instant deadline = Instant.now().plus(WITHIN);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = c.get("/api/v1/spec", admin).expect(200).body();
            if (last.equals(expected)) {
                return;
            }
            CoordinatorProcess.pause(100);
        }
        assertThat(last).as("the spec the coordinator serves %s after the file changed", WITHIN).isEqualTo(expected);
    }
}
