package net.weft.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the coordinator reads from configuration, under {@code weft.*} (system properties,
 * {@code WEFT_*} environment variables or {@code application.properties}). The names match the Helm
 * values one to one.
 */
@ConfigMapping(prefix = "weft")
public interface WeftConfig {

    /** Where the coordinator keeps its files: the H2 database and the admin credential. Default {@code ./weft-data}. */
    @WithName("data-dir")
    @WithDefault("./weft-data")
    Path dataDir();

    /** The network spec file (topology's YAML), loaded at start when set and again whenever it changes (checked every lease sweep interval). */
    @WithName("spec")
    Optional<Path> specFile();

    Cluster cluster();

    Db db();

    Join join();

    Lease lease();

    Dashboard dashboard();

    /** The embedded Hazelcast member. */
    interface Cluster {

        /** Members only join members of the same cluster name. Default {@code weft}. */
        @WithDefault("weft")
        String name();

        /**
         * The other members, {@code host:port} each, one port per entry (Hazelcast rejects ranges). Empty:
         * a cluster of one, this member alone.
         */
        Optional<List<String>> members();

        /**
         * Kubernetes DNS discovery: the DNS name of a headless Service whose A records are the members (for
         * example {@code weft-coordinator-headless.weft.svc.cluster.local}); every member listens on
         * {@code weft.cluster.port}. Set, it replaces {@code weft.cluster.members}: members are looked up again
         * whenever one joins, so a StatefulSet scales without a new member list. Unset: the member list.
         */
        @WithName("kubernetes-service-dns")
        Optional<String> kubernetesServiceDns();

        /** The member's TCP port; 0 takes any free port (tests). Default 5701. */
        @WithDefault("5701")
        int port();

        /** The address the member binds to and announces; unset: Hazelcast picks an interface. */
        Optional<String> bind();

        /** Copies of each entry on other members; at least 1, so losing a member loses no state. Default 1. */
        @WithName("backup-count")
        @WithDefault("1")
        int backupCount();

        /** How long a starting member waits for others before it forms a cluster alone. Default 5 s. */
        @WithName("join-wait")
        @WithDefault("5s")
        Duration joinWait();
    }

    /** The durable store behind the cluster's maps (write-through). */
    interface Db {

        /** {@code h2} (a file under the data directory, nothing to install) or {@code postgresql}. Default {@code h2}. */
        @WithDefault("h2")
        Kind kind();

        /** The JDBC URL; for H2 the default is {@code jdbc:h2:file:DATA_DIR/weft}; required for PostgreSQL. */
        Optional<String> url();

        /** The database user. Default none (H2: {@code sa}). */
        Optional<String> user();

        /** The database password. Default none. */
        Optional<String> password();

        /** The most connections the pool opens. Default 16. */
        @WithName("max-connections")
        @WithDefault("16")
        int maxConnections();

        /** The supported databases. */
        enum Kind {
            h2, postgresql
        }
    }

    /** Joins. */
    interface Join {

        /** Joins a source address may start in a burst. Default 20. */
        @WithDefault("20")
        int burst();

        /** Joins per minute a source address regains after a burst. Default 60. */
        @WithName("per-minute")
        @WithDefault("60")
        int perMinute();
    }

    /** Heartbeat leases. */
    interface Lease {

        /** How long a heartbeat keeps a node online. Default 45 s (a node beats every 15 s). */
        @WithDefault("45s")
        Duration ttl();

        /**
         * How often each member looks for the leases it owns that ran out (the node goes offline, an ephemeral
         * node is deleted), and the oldest member re-runs on-ramp arbitration (gateway health verdicts that
         * were not renewed in time lapse, a recovered gateway takes over once its hold-down has passed).
         * Default 1 s; it adds up to this much to an on-ramp failover.
         */
        @WithName("sweep-interval")
        @WithDefault("1s")
        Duration sweepInterval();
    }

    /** The dashboard at {@code /}. */
    interface Dashboard {

        /**
         * How long a dashboard login lasts: the session cookie and the session behind it end then (no sliding
         * renewal; the dashboard asks for the admin credential again). Default 8 h.
         */
        @WithName("session-ttl")
        @WithDefault("8h")
        Duration sessionTtl();
    }
}
