package net.weft.node.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import net.weft.topology.map.GatewayDuty;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.wire.HealthReport;
import net.weft.topology.wire.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthProber} against a listener on the loopback of the test's own network namespace: open,
 * closed (connection refused) and open again on the same port. Every thread the prober makes comes from
 * a factory that records it, so the tests can see them end. Runs without root.
 */
class HealthProberTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);

    private record Event(HealthReport report, boolean changed) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    private HealthProber prober;
    private Listener listener;

    @BeforeEach
    void start() throws IOException {
        ThreadFactory virtual = Thread.ofVirtual().name("weft-health-test-", 0).factory();
        prober = new HealthProber(CLOCK, (r, c) -> events.add(new Event(r, c)), runnable -> {
            Thread t = virtual.newThread(runnable);
            threads.add(t);
            return t;
        });
        listener = new Listener(0);
    }

    @AfterEach
    void stop() throws IOException {
        prober.close();
        listener.close();
    }

    @Test
    void aListeningTargetIsHealthyWithItsRoundTripTime() throws Exception {
        prober.update(List.of(duty("aws-a", 100, 3, listener.endpoint())));

        Event first = next();
        assertThat(first.changed()).isTrue();
        HealthReport r = first.report();
        assertThat(r.protocolVersion()).isEqualTo(Protocol.PROTOCOL_VERSION);
        assertThat(r.onRamp()).isEqualTo("aws-a");
        assertThat(r.healthy()).isTrue();
        assertThat(r.reportedAtMillis()).isEqualTo(CLOCK.millis());
        assertThat(r.probes()).singleElement().satisfies(p -> {
            assertThat(p.target()).isEqualTo(listener.endpoint());
            assertThat(p.ok()).isTrue();
            assertThat(p.rttMicros()).isPositive();
        });
        assertThat(next().changed()).as("a second healthy round changes nothing").isFalse();
        assertThat(prober.latest()).containsKey("aws-a");
    }

    @Test
    void aClosedTargetTurnsUnhealthyAfterExactlyThresholdFailedRoundsAndHealthyOnceItAnswers() throws Exception {
        int threshold = 3;
        Endpoint target = listener.endpoint();
        prober.update(List.of(duty("aws-a", 100, threshold, target)));
        assertThat(next().report().healthy()).isTrue();

        listener.close();
        Event e = next();
        while (e.report().probes().getFirst().ok()) { // a round already under way may still have connected
            e = next();
        }
        for (int failed = 1; failed < threshold; failed++) {
            assertThat(e.report().healthy()).as("after %d failed round(s)", failed).isTrue();
            assertThat(e.changed()).isFalse();
            assertThat(e.report().probes().getFirst()).satisfies(p -> {
                assertThat(p.ok()).isFalse();
                assertThat(p.rttMicros()).isZero();
            });
            e = next();
        }
        assertThat(e.report().healthy()).as("after %d failed rounds", threshold).isFalse();
        assertThat(e.changed()).isTrue();
        assertThat(prober.latest().get("aws-a").healthy()).isFalse();

        listener = new Listener(target.port());
        e = next();
        while (!e.report().probes().getFirst().ok()) {
            assertThat(e.report().healthy()).isFalse();
            e = next();
        }
        assertThat(e.report().healthy()).as("one good round is enough").isTrue();
        assertThat(e.changed()).isTrue();
    }

    @Test
    void aRoundFailsWhenAnyTargetFails() throws Exception {
        Endpoint closed;
        try (Listener gone = new Listener(0)) {
            closed = gone.endpoint();
        }
        prober.update(List.of(duty("aws-a", 100, 1, listener.endpoint(), closed)));

        HealthReport r = next().report();
        assertThat(r.healthy()).isFalse();
        assertThat(r.probes()).extracting(HealthReport.Probe::ok).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void anOnRampWithoutTargetsIsHealthyWithoutProbing() throws Exception {
        prober.update(List.of(duty("gcp-b", 50, 1)));

        for (int i = 0; i < 3; i++) {
            HealthReport r = next().report();
            assertThat(r.healthy()).isTrue();
            assertThat(r.probes()).isEmpty();
        }
        assertThat(threads).as("only the on-ramp's own thread, no probe threads").hasSize(1);
    }

    @Test
    void updateKeepsAnUnchangedOnRampRestartsARetimedOneAndStopsTheRest() throws Exception {
        prober.update(List.of(duty("a", 50, 1), duty("b", 50, 1)));
        prober.update(List.of(duty("a", 50, 1), duty("b", 50, 1)));
        assertThat(threads).as("the same duties again start nothing").hasSize(2);

        prober.update(List.of(duty("a", 50, 1), duty("b", 60, 1)));
        assertThat(threads).hasSize(3);
        assertThat(threads.stream().filter(Thread::isAlive)).hasSize(2);

        prober.update(List.of(duty("a", 50, 1)));
        assertThat(threads.stream().filter(Thread::isAlive)).hasSize(1);
        events.clear();
        assertThat(next().report().onRamp()).isEqualTo("a");
        assertThat(prober.latest()).containsOnlyKeys("a");
    }

    @Test
    void updateWithNoDutiesStopsEveryProbeThread() throws Exception {
        try (Listener second = new Listener(0)) {
            prober.update(List.of(duty("a", 100, 3, listener.endpoint(), second.endpoint()), duty("b", 100, 3)));
            next();
            next();
            next();

            prober.update(List.of());
        }
        assertThat(threads).hasSizeGreaterThan(2);
        assertThat(threads).allSatisfy(t -> assertThat(t.isAlive()).as(t.getName()).isFalse());
        assertThat(prober.latest()).isEmpty();
        events.clear();
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("no report once stopped").isNull();
    }

    @Test
    void closeStopsEveryThreadAndRefusesUpdates() throws Exception {
        prober.update(List.of(duty("a", 100, 3, listener.endpoint())));
        next();

        prober.close();
        assertThat(threads).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
        assertThatThrownBy(() -> prober.update(List.of())).isInstanceOf(IllegalStateException.class);
        prober.close();
    }

    @Test
    void twoDutiesForOneOnRampAreRefused() {
        assertThatThrownBy(() -> prober.update(List.of(duty("a", 100, 1), duty("a", 200, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
    }

    private Event next() throws InterruptedException {
        Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("a report within " + WAIT).isNotNull();
        return e;
    }

    private static GatewayDuty duty(String onRamp, long intervalMillis, int threshold, Endpoint... targets) {
        return new GatewayDuty(onRamp, List.of(IpPrefix.parse("198.18.0.0/24")), true, List.of(targets),
                intervalMillis, threshold, true);
    }

    /** A TCP listener on 127.0.0.1 that accepts and closes, so its backlog never fills. */
    private static final class Listener implements AutoCloseable {
        private final ServerSocket socket;

        Listener(int port) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Thread.ofVirtual().name("weft-health-test-listener").start(() -> {
                while (true) {
                    try (Socket s = socket.accept()) {
                        // accepted: the probe only connects
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        Endpoint endpoint() {
            return new Endpoint("127.0.0.1", socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
