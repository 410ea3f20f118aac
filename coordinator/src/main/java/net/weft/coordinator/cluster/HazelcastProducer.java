package net.weft.coordinator.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import net.weft.coordinator.config.WeftConfig;
import org.jboss.logging.Logger;

/**
 * The one producer of the member's resources: the JDBC pool (Agroal, built here at run time so the
 * database kind is a run-time choice), the embedded Hazelcast member, and the {@link ClusterStore} on it.
 * All are shut down when the application stops, the member before the pool it writes to.
 */
@ApplicationScoped
public class HazelcastProducer {

    private static final Logger LOG = Logger.getLogger(HazelcastProducer.class);

    @Produces
    @Singleton
    AgroalDataSource dataSource(WeftConfig config) {
        WeftConfig.Db db = config.db();
        String url;
        if (db.kind() == WeftConfig.Db.Kind.h2) {
            try {
                Files.createDirectories(config.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
            }
            url = db.url().orElse("jdbc:h2:file:" + config.dataDir().toAbsolutePath().resolve("weft"));
        } else {
            url = db.url().orElseThrow(() -> new IllegalStateException("weft.db.url is required for PostgreSQL"));
        }
        String user = db.user().orElse(db.kind() == WeftConfig.Db.Kind.h2 ? "sa" : "");
        LOG.infof("store: %s at %s", db.kind(), redact(url));
        return open(url, user, db.password().orElse(null), db.maxConnections());
    }

    /** A JDBC pool on {@code url}. */
    public static AgroalDataSource open(String url, String user, String password, int maxConnections) {
        AgroalDataSourceConfigurationSupplier supplier = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(maxConnections)
                        .minSize(0)
                        .initialSize(1)
                        .acquisitionTimeout(Duration.ofSeconds(10))
                        .connectionFactoryConfiguration(cf -> {
                            cf.jdbcUrl(url).principal(new NamePrincipal(user));
                            // named, not looked up in DriverManager, which sees only drivers of the caller's class loader
                            if (url.startsWith("jdbc:h2:")) {
                                cf.connectionProviderClassName("org.h2.Driver");
                            } else if (url.startsWith("jdbc:postgresql:")) {
                                cf.connectionProviderClassName("org.postgresql.Driver");
                            }
                            if (password != null) {
                                cf.credential(new SimplePassword(password));
                            }
                            return cf;
                        }));
        try {
            return AgroalDataSource.from(supplier);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    void closeDataSource(@Disposes AgroalDataSource dataSource) {
        dataSource.close();
    }

    @Produces
    @Singleton
    HazelcastInstance member(WeftConfig config, AgroalDataSource dataSource) {
        WeftConfig.Cluster c = config.cluster();
        MemberConfig member = new MemberConfig(c.name(), c.port() == 0 ? freePort() : c.port(), c.bind().orElse(null),
                c.members().orElse(null),
                c.backupCount(), c.joinWait(), c.kubernetesServiceDns().filter(d -> !d.isBlank()).orElse(null));
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(
                member.toHazelcast(dataSource, HazelcastProducer.class.getClassLoader()));
        LOG.infof("cluster %s: %d member(s)", c.name(), hz.getCluster().getMembers().size());
        return hz;
    }

    void shutdownMember(@Disposes HazelcastInstance hz) {
        hz.shutdown();
    }

    /** Application-scoped (a lazy proxy): the REST filters are built before the run-time configuration exists. */
    @Produces
    @ApplicationScoped
    ClusterStore store(HazelcastInstance hz, AgroalDataSource dataSource) {
        return new HazelcastClusterStore(hz, new JdbcMapStore(dataSource, "weft_settings"));
    }

    /** A TCP port free right now. */
    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the member", e);
        }
    }

    /** The URL without anything that looks like a password parameter. */
    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
