package net.weft.labs.postgres;

import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL for tests: Testcontainers' {@link PostgreSQLContainer} on the image that
 * {@code labs/docker/postgres/build-image.sh} builds locally (no registry is reachable here).
 *
 * <pre>{@code
 * try (PostgreSQLContainer pg = WeftPostgres.start()) {
 *     DataSource or DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword())
 * }
 * }</pre>
 *
 * <p>Before the first container of a JVM it runs {@code labs/docker/ensure-docker.sh} (installs
 * docker.io and starts dockerd when needed, as root) and {@code build-image.sh} (nothing to do
 * when the image is up to date). When Docker cannot be had, the test fails with the reason; with
 * {@code WEFT_SKIP_DOCKER_TESTS=1} it is skipped instead, loudly. Testcontainers must see
 * {@code TESTCONTAINERS_RYUK_DISABLED=true} (Ryuk's image cannot be pulled) and
 * {@code TESTCONTAINERS_HOST_OVERRIDE=localhost} (otherwise it pulls alpine to find the host) in
 * the environment of the test JVM: set both in the module's surefire {@code environmentVariables}.
 * Without Ryuk nothing removes a container the test forgot: close every container
 * (try-with-resources).
 *
 * <p>Self-contained on purpose (Testcontainers, the PostgreSQL driver, JUnit): another module's
 * tests can carry the same class.
 */
public final class WeftPostgres {

    /** The image's name; {@code WEFT_POSTGRES_IMAGE} picks another tag of the same build. */
    public static final String IMAGE = envOr("WEFT_POSTGRES_IMAGE", "weft/postgres:15");
    public static final String DATABASE = "weft";
    public static final String USER = "weft";
    /** Where the image keeps its cluster. */
    public static final String DATA_DIR = "/var/lib/postgresql/data";

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether Docker and the image were made ready in this JVM; guarded by the class. */
    private static boolean ready;
    /** Why they could not be, once tried (later tests fail or skip at once); guarded by the class. */
    private static String unavailable;

    private WeftPostgres() {
    }

    /**
     * A started container with a fresh cluster: database and user {@code weft}, a random password.
     * Read the connection from {@link PostgreSQLContainer#getJdbcUrl()},
     * {@link PostgreSQLContainer#getUsername()} and {@link PostgreSQLContainer#getPassword()}.
     */
    public static PostgreSQLContainer start() {
        return start(container());
    }

    /**
     * A container not yet started (for {@code withEnv}, {@code withCommand("postgres", "-c", ...)},
     * networks). It waits as Testcontainers does for the official image: for the second "ready to
     * accept connections" line of a fresh cluster.
     */
    public static PostgreSQLContainer container() {
        requireDockerAndImage();
        return new PostgreSQLContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"))
                .withDatabaseName(DATABASE)
                .withUsername(USER)
                .withPassword(randomPassword())
                .withStartupTimeout(STARTUP_TIMEOUT);
    }

    /**
     * A container, not yet started, whose cluster lives in the named Docker volume {@code volume}:
     * a later container on the same volume finds the data (a restart), and the password given here
     * must then be the one the cluster was created with. A cluster that already exists logs "ready"
     * only once, so this container waits until it accepts a JDBC login instead. The caller removes
     * the volume ({@link #removeVolume}).
     */
    public static PostgreSQLContainer container(String volume, String password) {
        PostgreSQLContainer container = container().withPassword(password);
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMounts(
                List.of(new Mount().withType(MountType.VOLUME).withSource(volume).withTarget(DATA_DIR))));
        container.waitingFor(new LoginWaitStrategy(container).withStartupTimeout(STARTUP_TIMEOUT));
        return container;
    }

    /** Starts {@code container}; when it does not come up, the failure carries its log. */
    public static PostgreSQLContainer start(PostgreSQLContainer container) {
        ToStringConsumer log = new ToStringConsumer();
        container.withLogConsumer(log);
        try {
            container.start();
        } catch (ContainerLaunchException | IllegalStateException e) {
            container.stop();
            throw new AssertionError(IMAGE + " did not start; its log:\n" + log.toUtf8String(), e);
        }
        return container;
    }

    /** Removes a named volume (no error when it is gone already). */
    public static void removeVolume(String volume) {
        try {
            DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            // already gone
        }
    }

    /** A password of 128 random bits. */
    public static String randomPassword() {
        return HexFormat.of().formatHex(randomBytes());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Makes Docker answer and the image exist, once per JVM: fails with the reason when that cannot
     * be done, or skips when {@code WEFT_SKIP_DOCKER_TESTS=1}.
     */
    public static synchronized void requireDockerAndImage() {
        if (ready) {
            return;
        }
        if (unavailable == null) {
            unavailable = prepare();
            ready = unavailable == null;
            if (ready) {
                return;
            }
        }
        String why = "PostgreSQL in Docker is not available: " + unavailable;
        if ("1".equals(System.getenv("WEFT_SKIP_DOCKER_TESTS"))) {
            System.err.println("\n!!!!!! SKIPPING a Docker test (WEFT_SKIP_DOCKER_TESTS=1): " + why + "\n");
            Assumptions.abort("WEFT_SKIP_DOCKER_TESTS=1, so skipped: " + why);
        }
        throw new AssertionError("\n!!!!!! " + why + ".\nRun the tests as root (`./weft test` installs docker.io;"
                + " labs/docker/ensure-docker.sh starts dockerd), or set WEFT_SKIP_DOCKER_TESTS=1 to skip them deliberately.\n");
    }

    /** Runs the scripts; null when Docker answers and the image is there, otherwise why not. */
    private static String prepare() {
        List<String> problems = new ArrayList<>();
        if (!"true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            problems.add("TESTCONTAINERS_RYUK_DISABLED=true is not in the environment (Testcontainers would pull Ryuk's image)");
        }
        if (System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null) {
            problems.add("TESTCONTAINERS_HOST_OVERRIDE is not in the environment (Testcontainers would pull alpine and hang)");
        }
        Path dockerDir = scriptsDir();
        if (dockerDir == null) {
            problems.add("labs/docker/ensure-docker.sh not found above " + System.getProperty("user.dir"));
        }
        if (problems.isEmpty()) {
            runScript(dockerDir.resolve("ensure-docker.sh"), List.of(), problems);
        }
        if (problems.isEmpty()) {
            runScript(dockerDir.resolve("postgres/build-image.sh"), List.of(IMAGE), problems);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** labs/docker, found from the working directory of whichever module runs the tests; null if not. */
    static Path scriptsDir() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("labs/docker");
            if (Files.isRegularFile(candidate.resolve("ensure-docker.sh"))) {
                return candidate;
            }
        }
        return null;
    }

    private static void runScript(Path script, List<String> args, List<String> problems) {
        List<String> argv = new ArrayList<>(List.of("bash", script.toString()));
        argv.addAll(args);
        Path out = null;
        try {
            // a file, not a pipe: the output must not depend on what the script leaves running
            out = Files.createTempFile("weft-docker-", ".log");
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            boolean done = process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String output = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (!done) {
                process.destroyForcibly();
                problems.add(script + " did not finish within " + SCRIPT_TIMEOUT + ":\n" + output);
            } else if (process.exitValue() != 0) {
                problems.add(script + " failed (exit " + process.exitValue() + "):\n" + output);
            } else if (!output.isEmpty()) {
                System.err.println(output);
            }
        } catch (IOException e) {
            problems.add("could not run " + script + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while running " + script);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Ready when a JDBC login with the container's own user and password succeeds. */
    private static final class LoginWaitStrategy extends AbstractWaitStrategy {

        private static final Duration POLL = Duration.ofMillis(100);

        private final PostgreSQLContainer container;

        LoginWaitStrategy(PostgreSQLContainer container) {
            this.container = container;
        }

        @Override
        protected void waitUntilReady() {
            Instant deadline = Instant.now().plus(startupTimeout);
            Properties login = new Properties();
            login.setProperty("user", container.getUsername());
            login.setProperty("password", container.getPassword());
            login.setProperty("connectTimeout", "2");
            SQLException last = null;
            while (Instant.now().isBefore(deadline)) {
                if (!container.isRunning()) {
                    throw new ContainerLaunchException("the container stopped while starting");
                }
                try (Connection connection = DriverManager.getConnection(container.getJdbcUrl(), login)) {
                    if (connection.isValid(2)) {
                        return;
                    }
                } catch (SQLException e) {
                    last = e;
                }
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ContainerLaunchException("interrupted while waiting for PostgreSQL", e);
                }
            }
            throw new ContainerLaunchException("no JDBC login within " + startupTimeout
                    + (last == null ? "" : " (last: " + last.getMessage() + ")"));
        }
    }
}
