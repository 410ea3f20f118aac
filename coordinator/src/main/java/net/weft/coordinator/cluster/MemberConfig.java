package net.weft.coordinator.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The embedded Hazelcast member's configuration, in one place for the application and for tests that
 * start more members in one JVM: TCP/IP member list (multicast and auto-detection off), a fixed port,
 * the cluster maps with their backups and write-through stores. No CP subsystem, no persistence. In
 * Kubernetes the members find each other through a headless Service's DNS records instead of a list
 * (Hazelcast's built-in Kubernetes discovery in DNS lookup mode: no API access needed).
 *
 * @param clusterName members join only members of the same name
 * @param port        the member's TCP port (no auto-increment: members are listed port by port)
 * @param bind        the address to bind and announce, or null for Hazelcast's choice
 * @param members     the other members, {@code host:port} each
 * @param backupCount copies of each entry on other members, at least 1
 * @param joinWait    how long a starting member looks for others before forming a cluster alone
 * @param serviceDns  the headless Service's DNS name whose records are the members, or null to use {@code members}
 */
public record MemberConfig(String clusterName, int port, String bind, List<String> members, int backupCount,
                           Duration joinWait, String serviceDns) {

    /** Join tokens by id. */
    public static final String TOKENS = "weft-tokens";
    /** Nodes by id. */
    public static final String NODES = "weft-nodes";
    /** The network spec, under {@link #SPEC_KEY}. */
    public static final String SPEC = "weft-spec";
    public static final String SPEC_KEY = "current";
    /** Settings: the admin credential's hash, the network's IPv6 prefix, the network version. */
    public static final String SETTINGS = "weft-settings";
    /** Heartbeat leases by node id; soft state, no database. */
    public static final String LEASES = "weft-leases";
    /** Each node's latest per-peer counters ({@link PeerReports}) by node id; soft state, no database, expiring per entry. */
    public static final String PEERS = "weft-peers";
    /**
     * Dashboard sessions: the expiry instant by the session id's hash; soft state, no database, each entry
     * expiring with its session (a restart of every member logs the dashboard out).
     */
    public static final String SESSIONS = "weft-sessions";
    /** Change events. */
    public static final String CHANGES = "weft-changes";

    /** Members from a list (no DNS discovery). */
    public MemberConfig(String clusterName, int port, String bind, List<String> members, int backupCount, Duration joinWait) {
        this(clusterName, port, bind, members, backupCount, joinWait, null);
    }

    public MemberConfig {
        Objects.requireNonNull(clusterName, "clusterName");
        if (serviceDns != null && (serviceDns.isBlank() || !serviceDns.matches("[A-Za-z0-9.-]+"))) {
            throw new IllegalArgumentException("service DNS name '" + serviceDns + "' is not a DNS name");
        }
        members = members == null ? List.of() : List.copyOf(members);
        if (backupCount < 1 || backupCount > 6) {
            throw new IllegalArgumentException("backup count " + backupCount + " is outside 1..6");
        }
        for (String m : members) {
            if (m.matches(".*:\\d+-\\d+")) {
                throw new IllegalArgumentException("member " + m + ": list members port by port, not as a range");
            }
        }
    }

    /** The Hazelcast configuration, with write-through stores on {@code dataSource}. */
    public Config toHazelcast(DataSource dataSource, ClassLoader classLoader) {
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setInstanceName(clusterName + "-" + port);
        c.setClassLoader(classLoader);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        // the application (or the test) shuts the member down: the JVM hook would race with it
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", Long.toString(joinWait.toSeconds()));
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
        if (bind != null) {
            c.setProperty("hazelcast.local.localAddress", bind);
            c.setProperty("hazelcast.socket.bind.any", "false"); // bind that address only, as documented
        }
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(false);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (serviceDns != null) {
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", serviceDns)
                    .setProperty("service-port", Integer.toString(port));
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(members);
        }

        for (String name : List.of(TOKENS, NODES, SPEC, SETTINGS)) {
            MapStoreConfig store = new MapStoreConfig()
                    .setEnabled(true)
                    .setImplementation(new JdbcMapStore(dataSource, name.replace('-', '_')))
                    .setWriteDelaySeconds(0)
                    .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER);
            c.addMapConfig(new MapConfig(name).setBackupCount(backupCount).setMapStoreConfig(store));
        }
        c.addMapConfig(new MapConfig(LEASES).setBackupCount(backupCount));
        c.addMapConfig(new MapConfig(PEERS).setBackupCount(backupCount));
        c.addMapConfig(new MapConfig(SESSIONS).setBackupCount(backupCount));
        return c;
    }
}
