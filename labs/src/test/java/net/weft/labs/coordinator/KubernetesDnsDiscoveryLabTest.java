package net.weft.labs.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.weft.labs.load.CoordinatorJvm;
import net.weft.labs.mesh.MeshLabs;
import net.weft.labs.netns.Poll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Helm chart's member discovery, for real: two coordinators started only with
 * {@code weft.cluster.kubernetes-service-dns} find each other through the A records of one name, as members of
 * a StatefulSet do through their headless Service. The name resolves through the namespace's own hosts file
 * ({@code /etc/netns/NS/hosts}, which {@code ip netns exec} puts in place of {@code /etc/hosts}) to two loopback
 * addresses, one per member; nothing lists the members.
 */
class KubernetesDnsDiscoveryLabTest {

    static final String SERVICE = "weft-coordinator-headless.dns-lab.test";
    static final Duration FORMED_WITHIN = Duration.ofSeconds(120);

    @BeforeAll
    static void requireRoot() {
        MeshLabs.requireRoot("KubernetesDnsDiscoveryLabTest");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoMembersFormOneClusterFromTheServiceDnsRecordsAlone() throws Exception {
        String ns = "wk" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
        Path hostsDir = Path.of("/etc/netns", ns);
        Path dir = CoordinatorProcess.labDir("dns-discovery");
        List<Process> members = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        run("ip", "netns", "add", ns);
        try {
            run("ip", "-n", ns, "link", "set", "lo", "up");
            Files.createDirectories(hostsDir);
            Files.writeString(hostsDir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.2 " + SERVICE + "\n127.0.0.3 "
                    + SERVICE + "\n");
            for (int i = 2; i <= 3; i++) {
                String address = "127.0.0." + i;
                Path log = dir.resolve("member" + i + ".log");
                List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                argv.addAll(CoordinatorJvm.FLAGS);
                argv.addAll(List.of("-Xmx256m", "-Dquarkus.http.host=" + address, "-Dquarkus.http.port=8080",
                        "-Dweft.data-dir=" + dir.resolve("member" + i), "-Dweft.cluster.name=dns-lab",
                        "-Dweft.cluster.bind=" + address, "-Dweft.cluster.port=5701", "-Dweft.cluster.join-wait=3s",
                        "-Dweft.cluster.kubernetes-service-dns=" + SERVICE, "-jar", CoordinatorProcess.jar().toString()));
                Files.createDirectories(dir.resolve("member" + i));
                members.add(new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
                logs.add(log);
            }
            // each member's own view, from inside the namespace: GET /api/v1/status counts the cluster's members
            for (int i = 2; i <= 3; i++) {
                String address = "127.0.0." + i;
                // the cluster has one admin credential, written by the member that formed it, once it did:
                // look for it on every try
                String status = Poll.until(FORMED_WITHIN, "member " + address + " to see two members",
                        () -> status(ns, address, credential(dir)), text -> text.contains("\"members\":2"));
                assertThat(status).contains("\"members\":2");
            }
        } catch (AssertionError e) {
            StringBuilder tails = new StringBuilder(e.getMessage());
            for (Path log : logs) {
                List<String> lines = read(log).lines().toList();
                tails.append("\n--- ").append(log).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            throw new AssertionError(tails.toString(), e);
        } finally {
            for (Process p : members) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            run("ip", "netns", "del", ns);
            Files.deleteIfExists(hostsDir.resolve("hosts"));
            Files.deleteIfExists(hostsDir);
        }
    }

    /** The admin credential file of whichever member formed the cluster (member 3's name until one exists). */
    private static Path credential(Path dir) {
        Path second = dir.resolve("member2/admin.credential");
        return Files.exists(second) ? second : dir.resolve("member3/admin.credential");
    }

    /** {@code GET /api/v1/status} as the admin, from inside {@code ns} (bash's /dev/tcp: no client to install). */
    private static String status(String ns, String address, Path credential) {
        try {
            if (!Files.exists(credential)) {
                return "";
            }
            String secret = Files.readString(credential).strip();
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", "5", "bash", "-c",
                    "exec 3<>/dev/tcp/" + address + "/8080 && printf 'GET /api/v1/status HTTP/1.0\\r\\nAuthorization: Bearer %s"
                            + "\\r\\n\\r\\n' \"$WEFT_ADMIN_CREDENTIAL\" >&3 && cat <&3")
                    .redirectErrorStream(true);
            pb.environment().put("WEFT_ADMIN_CREDENTIAL", secret); // out of sight of ps
            Process p = pb.start();
            p.getOutputStream().close();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes());
            }
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
    }
}
