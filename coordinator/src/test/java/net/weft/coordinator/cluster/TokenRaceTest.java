package net.weft.coordinator.cluster;

import static net.weft.coordinator.Api.join;
import static net.weft.coordinator.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.weft.coordinator.TestPorts;
import net.weft.coordinator.auth.Secrets;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * 64 joins race for one single-use token across a cluster of two members: the application's member and a
 * second member started in this JVM, which joins it over TCP/IP. Half the attempts are joins through the
 * API (consumed via the application's member), half consume through the second member directly; the entry
 * processor runs on whichever member owns the token's partition. Exactly one wins.
 */
@QuarkusTest
class TokenRaceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    HazelcastInstance app;

    @Inject
    ClusterStore store;

    @Test
    void sixtyFourJoinsOnTwoMembersUseASingleUseTokenExactlyOnce() throws Exception {
        var config = ConfigProvider.getConfig();
        MemberConfig second = new MemberConfig(config.getValue("weft.cluster.name", String.class),
                TestPorts.freePort(), "127.0.0.1",
                List.of("127.0.0.1:" + app.getCluster().getLocalMember().getAddress().getPort()), 1, Duration.ZERO);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(
                second.toHazelcast(dataSource, Thread.currentThread().getContextClassLoader()));
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            awaitMembers(2);
            HazelcastClusterStore other = new HazelcastClusterStore(hz, new JdbcMapStore(dataSource, "weft_settings"));
            assertThat(other.members()).isEqualTo(2);

            String secret = token(Map.of());
            byte[] hash = Secrets.hash(secret);
            String id = Secrets.idOf(hash);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                Callable<Boolean> attempt = n % 2 == 0
                        ? () -> {
                            start.await();
                            int status = join(secret, "racer-" + n).statusCode();
                            assertThat(status).isIn(200, 401);
                            return status == 200;
                        }
                        : () -> {
                            start.await();
                            return other.consumeToken(id, hash, Instant.now()).outcome() == TokenConsumption.Outcome.CONSUMED;
                        };
                attempts.add(pool.submit(attempt));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : attempts) {
                wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(store.tokens()).filteredOn(t -> t.id().equals(id)).singleElement()
                    .satisfies(t -> assertThat(t.used()).isEqualTo(1));
        } finally {
            pool.shutdownNow();
            hz.shutdown();
        }
        awaitMembers(1);
    }

    private void awaitMembers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (store.members() != n) {
            assertThat(System.nanoTime()).as("cluster of " + n + " within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
