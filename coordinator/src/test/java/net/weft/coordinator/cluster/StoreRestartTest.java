package net.weft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.agroal.api.AgroalDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.weft.coordinator.TestPorts;
import net.weft.coordinator.auth.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator's member stops and a new one starts on the same H2 file: every token, node, spec and
 * setting is back, consumed uses included; leases are soft state and are not.
 */
class StoreRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void everythingWrittenIsBackAfterTheMemberRestarts() {
        String url = "jdbc:h2:file:" + dataDir.resolve("weft");
        String secret = Secrets.newSecret();
        byte[] hash = Secrets.hash(secret);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TokenRecord token = new TokenRecord(Secrets.idOf(hash), Secrets.hashText(hash), true, 5, List.of("gw"), false,
                now, now.plus(Duration.ofHours(1)), 0);
        NodeRecord node = new NodeRecord("n0123456789ab", "host", "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=",
                List.of("100.64.0.1/32", "fd00:1:2::1/128"), List.of("gw"), List.of("192.0.2.1:51820"), null,
                "hash", token.id(), false, false, now);

        Member first = Member.start(url);
        try {
            first.store.putToken(token);
            assertThat(first.store.consumeToken(token.id(), hash, now).outcome()).isEqualTo(TokenConsumption.Outcome.CONSUMED);
            first.store.putNode(node);
            first.store.putSpec("kind: Network\n");
            first.store.putSetting("network.version", "7");
            first.store.renewLease(node.id(), Duration.ofMinutes(1));
        } finally {
            first.stop();
        }

        Member second = Member.start(url);
        try {
            assertThat(second.store.tokens()).singleElement().satisfies(t -> {
                assertThat(t.id()).isEqualTo(token.id());
                assertThat(t.used()).isEqualTo(1);
                assertThat(t.usesLeft()).isEqualTo(4);
                assertThat(t.expiresAt()).isEqualTo(token.expiresAt());
            });
            assertThat(second.store.node(node.id())).contains(node);
            assertThat(second.store.spec()).contains("kind: Network\n");
            assertThat(second.store.setting("network.version")).contains("7");
            assertThat(second.store.onlineNodes()).isEmpty();
            assertThat(second.store.databaseHealthy()).isTrue();
            // and it still refuses what it should: a wrong secret
            assertThat(second.store.consumeToken(token.id(), Secrets.hash("wrong"), now).outcome())
                    .isEqualTo(TokenConsumption.Outcome.UNKNOWN);
        } finally {
            second.stop();
        }
    }

    private record Member(AgroalDataSource dataSource, HazelcastInstance hz, HazelcastClusterStore store) {
        static Member start(String url) {
            AgroalDataSource ds = HazelcastProducer.open(url, "sa", null, 4);
            MemberConfig config = new MemberConfig("weft-restart-" + ProcessHandle.current().pid() + "-" + System.nanoTime(),
                    TestPorts.freePort(), "127.0.0.1", List.of(), 1, Duration.ZERO);
            HazelcastInstance hz = Hazelcast.newHazelcastInstance(config.toHazelcast(ds, StoreRestartTest.class.getClassLoader()));
            return new Member(ds, hz, new HazelcastClusterStore(hz, new JdbcMapStore(ds, "weft_settings")));
        }

        void stop() {
            hz.shutdown();
            dataSource.close();
        }
    }
}
