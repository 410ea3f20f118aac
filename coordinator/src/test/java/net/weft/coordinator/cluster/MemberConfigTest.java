package net.weft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How members find each other: a TCP/IP list, or a headless Service's DNS records in Kubernetes. */
class MemberConfigTest {

    @Test
    void aMemberListJoinsByTcpIpOnly() {
        JoinConfig join = join(new MemberConfig("weft", 5701, null, List.of("203.0.113.11:5701"), 1, Duration.ofSeconds(1)));
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("203.0.113.11:5701");
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    }

    @Test
    void aServiceDnsNameJoinsThroughKubernetesDnsLookupOnTheMemberPort() {
        JoinConfig join = join(new MemberConfig("weft", 5801, null, List.of(), 1, Duration.ofSeconds(1),
                "weft-coordinator-headless.weft.svc.cluster.local"));
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("weft-coordinator-headless.weft.svc.cluster.local");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5801");
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    }

    @Test
    void aBindAddressIsTheOnlyAddressBound() {
        Config c = config(new MemberConfig("weft", 5701, "203.0.113.11", List.of(), 1, Duration.ofSeconds(1)));
        assertThat(c.getProperty("hazelcast.local.localAddress")).isEqualTo("203.0.113.11");
        assertThat(c.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(config(new MemberConfig("weft", 5701, null, List.of(), 1, Duration.ofSeconds(1)))
                .getProperty("hazelcast.socket.bind.any")).isNull();
    }

    @Test
    void aServiceDnsNameMustBeADnsName() {
        assertThatThrownBy(() -> new MemberConfig("weft", 5701, null, List.of(), 1, Duration.ofSeconds(1), "not a name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DNS name");
    }

    private static JoinConfig join(MemberConfig m) {
        return config(m).getNetworkConfig().getJoin();
    }

    private static Config config(MemberConfig m) {
        org.h2.jdbcx.JdbcDataSource db = new org.h2.jdbcx.JdbcDataSource(); // the map stores create their tables
        db.setURL("jdbc:h2:mem:member-config-test;DB_CLOSE_DELAY=-1");
        return m.toHazelcast(db, MemberConfigTest.class.getClassLoader());
    }
}
