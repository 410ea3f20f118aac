package net.weft.node.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.weft.crypto.key.PrivateKey;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.map.NetworkMap;

/**
 * The agent's state directory. Every file is written whole (a temporary file moved into place), so a
 * crash never leaves half a file; secrets are created with mode 0600 before a byte is written.
 *
 * <pre>
 * node.key      the WireGuard private key, base64 as wg prints it (0600)
 * node.json     {@link Identity}: node id, addresses, credential, coordinators, interface (0600)
 * map.json      the last network map, canonical JSON: the agent starts from it when no coordinator answers
 * agent.pid     the running agent's pid
 * status.json   {@link AgentStatus}, rewritten every second while the agent runs
 * agent.log     the detached agent's log
 * </pre>
 */
public final class StateDir {

    /** Where {@code weft up} keeps its state unless told otherwise. */
    public static final Path DEFAULT = Path.of("/var/lib/weft");

    private final Path dir;

    /**
     * What the node got from its join. The credential authenticates every later call.
     *
     * @param nodeId       the node's id
     * @param name         the host name it joined with
     * @param credential   {@code NODE_ID.SECRET} (secret: never printed)
     * @param coordinators the coordinators' URLs, in the order given
     * @param interfaceName the WireGuard interface
     * @param listenPort   the UDP port
     */
    public record Identity(String nodeId, String name, String credential, List<String> coordinators,
                           String interfaceName, int listenPort) {
        public Identity {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(credential, "credential");
            coordinators = List.copyOf(coordinators);
        }

        @Override
        public String toString() {
            return "Identity[" + nodeId + ", " + name + ", credential=<redacted>, " + coordinators + ", " + interfaceName + "]";
        }

        Identity withCoordinators(List<String> urls, String iface, int port) {
            return new Identity(nodeId, name, credential, urls, iface, port);
        }
    }

    public StateDir(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public Path path() {
        return dir;
    }

    Path keyFile() {
        return dir.resolve("node.key");
    }

    Path identityFile() {
        return dir.resolve("node.json");
    }

    Path mapFile() {
        return dir.resolve("map.json");
    }

    public Path pidFile() {
        return dir.resolve("agent.pid");
    }

    public Path statusFile() {
        return dir.resolve("status.json");
    }

    public Path logFile() {
        return dir.resolve("agent.log");
    }

    /** Creates the directory (0700) when missing. */
    public void create() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** The node's private key: read, or generated and saved (0600) the first time. */
    public PrivateKey loadOrCreateKey() throws IOException {
        Path f = keyFile();
        if (Files.exists(f)) {
            String text = Files.readString(f, StandardCharsets.US_ASCII).strip();
            try {
                return PrivateKey.fromBase64(text);
            } catch (IllegalArgumentException e) {
                throw new IOException(f + " does not hold a WireGuard private key (" + e.getMessage() + ")");
            }
        }
        PrivateKey key = PrivateKey.generate(new SecureRandom());
        writeSecret(f, key.toBase64() + "\n");
        return key;
    }

    /** The identity saved by a successful join, if any. */
    public Optional<Identity> identity() throws IOException {
        return read(identityFile(), Identity.class);
    }

    public void saveIdentity(Identity identity) throws IOException {
        writeSecret(identityFile(), new String(CanonicalJson.toBytes(identity), StandardCharsets.UTF_8) + "\n");
    }

    /** The last map saved, if any (an unreadable one is reported and ignored: the coordinator sends a full map). */
    public Optional<NetworkMap> lastMap() throws IOException {
        return read(mapFile(), NetworkMap.class);
    }

    public void saveMap(NetworkMap map) throws IOException {
        write(mapFile(), CanonicalJson.toBytes(map), false);
    }

    public void saveStatus(AgentStatus status) {
        try {
            write(statusFile(), CanonicalJson.toBytes(status), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<AgentStatus> status() throws IOException {
        return read(statusFile(), AgentStatus.class);
    }

    /** The pid in agent.pid, if the file exists and holds one. */
    public Optional<Long> pid() throws IOException {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile()).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void savePid(long pid) throws IOException {
        write(pidFile(), (pid + "\n").getBytes(StandardCharsets.US_ASCII), false);
    }

    /** Removes the pid and status files (the agent stopped). */
    public void clearRunning() {
        try {
            Files.deleteIfExists(pidFile());
            Files.deleteIfExists(statusFile());
        } catch (IOException ignored) {
            // best effort on the way out
        }
    }

    private <T> Optional<T> read(Path f, Class<T> type) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(CanonicalJson.fromBytes(bytes, type));
        } catch (IOException e) {
            throw new IOException(f + " is not valid: " + e.getMessage());
        }
    }

    private void writeSecret(Path f, String text) throws IOException {
        write(f, text.getBytes(StandardCharsets.UTF_8), true);
    }

    private void write(Path f, byte[] bytes, boolean secret) throws IOException {
        create();
        Path tmp = Files.createTempFile(dir, "." + f.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
