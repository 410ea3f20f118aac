package net.weft.coordinator.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.config.WeftConfig;
import org.jboss.logging.Logger;

/**
 * The admin credential. There is no default: the first member to start generates one, prints it once to
 * standard output, writes it to {@code DATA_DIR/admin.credential} (mode 0600) and stores only its hash in the
 * cluster, where every member finds it. A store that lost the hash takes it back from that file.
 */
@ApplicationScoped
public class AdminCredential {

    /** The setting holding the credential's hash. */
    public static final String HASH_SETTING = "admin.credential.sha256";
    /** The file name under the data directory. */
    public static final String FILE = "admin.credential";

    private static final Logger LOG = Logger.getLogger(AdminCredential.class);

    @Inject
    ClusterStore store;

    @Inject
    WeftConfig config;

    /** The hash in force, cached after start. */
    private volatile String hash;

    void onStart(@Observes StartupEvent event) {
        hash = ensure();
    }

    private String ensure() {
        Path file = config.dataDir().resolve(FILE);
        String stored = store.setting(HASH_SETTING).orElse(null);
        if (stored != null) {
            return stored;
        }
        if (Files.exists(file)) {
            String saved = read(file);
            String inForce = store.putSettingIfAbsent(HASH_SETTING, Secrets.hashText(Secrets.hash(saved)));
            LOG.infof("admin credential: taken back from %s", file);
            return inForce;
        }
        String secret = Secrets.newSecret();
        String mine = Secrets.hashText(Secrets.hash(secret));
        String inForce = store.putSettingIfAbsent(HASH_SETTING, mine);
        if (!inForce.equals(mine)) {
            return inForce; // another member was first: its credential holds
        }
        write(file, secret);
        // the one place the credential is shown: standard output, not the log
        System.out.println("admin credential: " + secret + ", saved to " + file.toAbsolutePath());
        System.out.flush();
        return inForce;
    }

    /** True when {@code credential} is the admin credential (constant-time comparison of hashes). */
    public boolean matches(String credential) {
        return Secrets.matches(credential, hash);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin credential to " + file, e);
        }
    }
}
