package net.weft.node.host;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import net.weft.topology.map.GatewayDuty;
import net.weft.topology.model.Endpoint;
import net.weft.topology.wire.HealthReport;
import net.weft.topology.wire.Protocol;

/**
 * Probes the health-check targets of the on-ramps this node is a gateway for, and says after every round
 * whether each on-ramp is healthy.
 *
 * <p>A probe is a TCP connect to the target with a timeout of {@code min(interval, 1 s)}; its round-trip
 * time is the time the connect took. A round probes all of an on-ramp's targets at once and fails when
 * any probe fails. An on-ramp is healthy while its consecutive failed rounds stay below its
 * {@code failureThreshold}; one good round makes it healthy again. An on-ramp without targets is
 * reported healthy every interval without probing.
 *
 * <p>Threads: each on-ramp has one virtual thread running its rounds at a fixed rate, and each round one
 * short-lived virtual thread per target. {@link #update} starts, stops and restarts them;
 * {@link #update} and {@link #close} return only once the threads they stopped have ended, and no
 * listener call for a stopped on-ramp comes after they return.
 */
public final class HealthProber implements AutoCloseable {

    /** Told after every round, on the on-ramp's probing thread; it must not call {@link #update} or {@link #close}. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param report  the round's verdict
         * @param changed true when {@code healthy} differs from the on-ramp's previous report, or there was none
         */
        void onReport(HealthReport report, boolean changed);
    }

    private static final System.Logger LOG = System.getLogger(HealthProber.class.getName());
    private static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** How long stopping waits for a thread beyond its probe timeout before giving up on it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Clock clock;
    private final Listener listener;
    private final ThreadFactory threads;
    /** The running probers by on-ramp name; guarded by {@code this}. */
    private final Map<String, OnRampProbe> probes = new HashMap<>();
    /** The last report per on-ramp, written by the probing threads; removed when the on-ramp goes. */
    private final Map<String, HealthReport> latest = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * @param clock    dates the reports
     * @param listener told after every round
     */
    public HealthProber(Clock clock, Listener listener) {
        this(clock, listener, Thread.ofVirtual().name("weft-health-", 0).factory());
    }

    /** A prober whose threads come from {@code threads} (tests count them). */
    HealthProber(Clock clock, Listener listener, ThreadFactory threads) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    /**
     * Probes exactly the on-ramps of {@code duties} from now on: starts new ones, stops gone ones (and
     * forgets their reports), and restarts one whose targets, interval or threshold changed (its failure
     * count carries over when its targets did not change). Other fields of a duty do not matter here.
     *
     * @throws IllegalArgumentException when two duties name the same on-ramp
     * @throws IllegalStateException    after {@link #close}, or when called from a listener
     */
    public synchronized void update(List<GatewayDuty> duties) {
        if (closed) {
            throw new IllegalStateException("health prober closed");
        }
        checkNotOnProbingThread();
        Map<String, GatewayDuty> wanted = new HashMap<>();
        for (GatewayDuty d : duties) {
            if (wanted.put(d.onRamp(), d) != null) {
                throw new IllegalArgumentException("two gateway duties for on-ramp " + d.onRamp());
            }
        }
        List<OnRampProbe> stopping = new ArrayList<>();
        Map<String, Integer> carriedFailures = new HashMap<>();
        for (OnRampProbe p : probes.values()) {
            GatewayDuty d = wanted.get(p.onRamp);
            if (d == null || !p.sameSchedule(d)) {
                p.thread.interrupt();
                stopping.add(p);
            }
        }
        for (OnRampProbe p : stopping) {
            p.awaitStop();
            probes.remove(p.onRamp);
            GatewayDuty d = wanted.get(p.onRamp);
            if (d == null) {
                latest.remove(p.onRamp);
            } else if (d.targets().equals(p.targets)) {
                carriedFailures.put(p.onRamp, p.failures); // visible: awaitStop joined the thread
            }
        }
        for (GatewayDuty d : wanted.values()) {
            if (!probes.containsKey(d.onRamp())) {
                OnRampProbe p = new OnRampProbe(d, carriedFailures.getOrDefault(d.onRamp(), 0));
                probes.put(d.onRamp(), p);
                p.thread.start();
            }
        }
    }

    /** The last report of each on-ramp being probed (after {@link #close}: as they were then). */
    public Map<String, HealthReport> latest() {
        return Map.copyOf(latest);
    }

    /** Stops every probe and waits for its threads to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        checkNotOnProbingThread();
        closed = true;
        for (OnRampProbe p : probes.values()) {
            p.thread.interrupt();
        }
        for (OnRampProbe p : probes.values()) {
            p.awaitStop();
        }
        probes.clear();
    }

    private void checkNotOnProbingThread() {
        for (OnRampProbe p : probes.values()) {
            if (p.thread == Thread.currentThread()) {
                throw new IllegalStateException("a health listener must not update or close its prober");
            }
        }
    }

    /** The rounds of one on-ramp, on one thread. */
    private final class OnRampProbe {
        final String onRamp;
        final List<Endpoint> targets;
        final long intervalNanos;
        final int failureThreshold;
        final int timeoutMillis;
        final Thread thread;
        /** Consecutive failed rounds; only the probing thread touches it until it has ended. */
        int failures;

        OnRampProbe(GatewayDuty duty, int failures) {
            this.onRamp = duty.onRamp();
            this.targets = duty.targets();
            this.intervalNanos = Duration.ofMillis(duty.intervalMillis()).toNanos();
            this.failureThreshold = duty.failureThreshold();
            this.timeoutMillis = (int) Math.max(1, Math.min(duty.intervalMillis(), MAX_PROBE_TIMEOUT.toMillis()));
            this.failures = failures;
            this.thread = threads.newThread(this::run);
        }

        boolean sameSchedule(GatewayDuty d) {
            return d.targets().equals(targets) && Duration.ofMillis(d.intervalMillis()).toNanos() == intervalNanos
                    && d.failureThreshold() == failureThreshold;
        }

        /** Rounds at a fixed rate until interrupted; a round that overran the interval is not caught up. */
        private void run() {
            long next = System.nanoTime();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<HealthReport.Probe> results = round();
                    boolean ok = results.stream().allMatch(HealthReport.Probe::ok);
                    failures = ok ? 0 : failures + 1;
                    HealthReport report = new HealthReport(Protocol.PROTOCOL_VERSION, onRamp,
                            failures < failureThreshold, results, clock.millis());
                    HealthReport previous = latest.put(onRamp, report);
                    boolean changed = previous == null || previous.healthy() != report.healthy();
                    try {
                        listener.onReport(report, changed);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "health listener failed for on-ramp " + onRamp, e);
                    }
                    next += intervalNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    } else {
                        next = System.nanoTime();
                    }
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }

        /** Probes every target at once, each on its own thread; interrupted, it ends them before it returns. */
        private List<HealthReport.Probe> round() throws InterruptedException {
            HealthReport.Probe[] results = new HealthReport.Probe[targets.size()];
            List<Thread> running = new ArrayList<>(targets.size());
            for (int i = 0; i < targets.size(); i++) {
                int slot = i;
                Thread t = threads.newThread(() -> results[slot] = probe(targets.get(slot)));
                running.add(t);
                t.start();
            }
            try {
                for (Thread t : running) {
                    // a probe ends by its connect timeout; the extra second only guards against a stuck one
                    if (!t.join(Duration.ofMillis(timeoutMillis + 1000L))) {
                        t.interrupt();
                    }
                }
            } catch (InterruptedException e) {
                for (Thread t : running) {
                    t.interrupt(); // closes the socket of a virtual thread blocked in connect
                }
                joinUninterruptibly(running, Duration.ofMillis(timeoutMillis).plus(STOP_GRACE));
                throw e;
            }
            joinUninterruptibly(running, STOP_GRACE);
            List<HealthReport.Probe> out = new ArrayList<>(results.length);
            for (int i = 0; i < results.length; i++) {
                out.add(results[i] != null ? results[i] : new HealthReport.Probe(targets.get(i), false, 0));
            }
            return out;
        }

        private HealthReport.Probe probe(Endpoint target) {
            try (Socket s = new Socket()) {
                InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral(target.address()), target.port());
                long start = System.nanoTime();
                s.connect(address, timeoutMillis);
                long rttMicros = Math.max(1, (System.nanoTime() - start) / 1000);
                return new HealthReport.Probe(target, true, rttMicros);
            } catch (IOException e) {
                return new HealthReport.Probe(target, false, 0);
            }
        }

        /** Waits until the probing thread and its probes have ended; it was interrupted. */
        void awaitStop() {
            joinUninterruptibly(List.of(thread), Duration.ofMillis(timeoutMillis).plus(STOP_GRACE));
            if (thread.isAlive()) {
                LOG.log(Level.WARNING, "health probe thread for on-ramp " + onRamp + " did not stop in time");
            }
        }
    }

    /** Joins {@code threads} within {@code limit} in all, keeping an interrupt for the caller. */
    private static void joinUninterruptibly(List<Thread> threads, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    t.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
