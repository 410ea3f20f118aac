package net.weft.node.agent;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.weft.crypto.key.PrivateKey;
import net.weft.node.conn.NettyBind;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.Device;
import net.weft.node.device.DeviceOptions;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerStatus;
import net.weft.node.host.Command;
import net.weft.node.host.Forwarding;
import net.weft.node.host.GatewayFirewall;
import net.weft.node.host.HealthProber;
import net.weft.node.host.InterfaceConfig;
import net.weft.node.host.SnatRule;
import net.weft.node.metrics.MetricsServer;
import net.weft.node.tun.LinuxTun;
import net.weft.node.uapi.UapiServer;
import net.weft.topology.map.GatewayDuty;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Peer;
import net.weft.topology.map.Self;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.wire.HealthReport;
import net.weft.topology.wire.JoinRequest;
import net.weft.topology.wire.JoinResponse;
import net.weft.topology.wire.MapUpdate;
import net.weft.topology.wire.PeerReport;
import net.weft.topology.wire.Protocol;

/**
 * One node's agent: joins (or resumes from its state directory), runs the WireGuard device and its UAPI
 * socket, applies the map stream, and keeps the coordinator informed. {@link #start} returns once the
 * device is up; {@link #close} takes everything down again (interface, routes, firewall table,
 * forwarding setting, UAPI socket). Threads: one follows the map stream, one scheduler beats, reports and
 * writes the status; the device and the prober have their own.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("weft-agent");
    /** How long the first join keeps trying coordinators that do not answer. */
    static final Duration JOIN_PATIENCE = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);

    /**
     * How the agent is started.
     *
     * @param stateDir      the state directory
     * @param coordinators  coordinator base URLs (may be empty when the state directory has them)
     * @param token         the join token, or null when already joined
     * @param name          the host name to join with
     * @param interfaceName the WireGuard interface
     * @param listenPort    the UDP port
     * @param endpoints     endpoints to advertise instead of the one found towards the coordinator (may be empty)
     * @param metricsListen where to serve Prometheus metrics, or null for nowhere
     */
    public record Settings(StateDir stateDir, List<URI> coordinators, String token, String name, String interfaceName,
                           int listenPort, List<Endpoint> endpoints, InetSocketAddress metricsListen) {
        public Settings {
            Objects.requireNonNull(stateDir, "stateDir");
            coordinators = List.copyOf(coordinators);
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public String toString() {
            return "Settings[" + stateDir.path() + ", " + coordinators + ", token=<redacted>, " + name + ", "
                    + interfaceName + ":" + listenPort + "]";
        }
    }

    private final Settings settings;
    private final StateDir state;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("weft-agent").daemon().factory());
    private final Object applyLock = new Object();

    private StateDir.Identity identity;
    private ControlClient client;
    private Device device;
    private UapiServer uapi;
    private MetricsServer metrics;
    private InterfaceConfig iface;
    private GatewayFirewall firewall;
    private Forwarding forwarding;
    private HealthProber prober;
    private Thread streamThread;

    private volatile boolean running;
    private volatile String phase = "starting";
    private volatile boolean connected;
    private volatile String lastError;
    private volatile boolean needFullMap;
    private volatile NetworkMap current;
    private volatile Set<IpPrefix> installedRoutes = Set.of();
    private boolean gatewayOn;
    private int heartbeatFailures;
    private volatile long leaseSeconds = 15;

    public Agent(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.state = settings.stateDir();
    }

    /**
     * Joins when not joined yet, brings the device up from the first map (the join's, else the saved one) and
     * starts following the coordinator.
     *
     * @throws AgentException with one line for the user when the node cannot come up
     */
    public void start() throws AgentException {
        PrivateKey key;
        try {
            state.create();
            state.savePid(ProcessHandle.current().pid());
            key = state.loadOrCreateKey();
            identity = state.identity().orElse(null);
        } catch (IOException e) {
            throw new AgentException("state directory " + state.path() + ": " + e.getMessage());
        }
        List<URI> urls = settings.coordinators();
        if (urls.isEmpty() && identity != null) {
            urls = identity.coordinators().stream().map(URI::create).toList();
        }
        if (urls.isEmpty()) {
            throw new AgentException("no coordinator: give --coordinator URL");
        }
        if (identity == null && (settings.token() == null || settings.token().isBlank())) {
            throw new AgentException("this node has not joined yet: give --token TOKEN (or $WEFT_TOKEN)");
        }
        String ifName = settings.interfaceName();
        int port = settings.listenPort();
        // the device (TUN, sockets) comes up while the join runs: each costs hundreds of milliseconds of class
        // loading and set-up, and the node is up only once both are done
        CompletableFuture<Void> deviceStarted = new CompletableFuture<>();
        Thread.ofPlatform().name("weft-agent-device").start(() -> {
            try {
                startDevice(key, ifName, port);
                LOG.info("device " + ifName + " started (" + sinceStart() + ")");
                deviceStarted.complete(null);
            } catch (AgentException | RuntimeException e) {
                deviceStarted.completeExceptionally(e);
            }
        });
        NetworkMap first;
        try {
            first = joinOrResume(key, urls, ifName, port);
        } catch (AgentException | RuntimeException e) {
            try {
                deviceStarted.join();
            } catch (RuntimeException ignored) {
                // the join's failure is the one to report
            }
            closeDevice();
            throw e;
        }
        try {
            deviceStarted.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof AgentException a) {
                throw a;
            }
            throw new AgentException("cannot start the device on " + ifName + ": " + e.getCause());
        }
        running = true;
        if (first != null) {
            try {
                apply(first);
            } catch (IOException | ConfigurationException e) {
                close();
                throw new AgentException("cannot apply the network map: " + e.getMessage());
            }
        }
        // peers may still hold sessions with this node's previous run: a handshake now replaces them at once
        int greeted = device.greetPeers(MAX_GREETED_PEERS);
        phase = "up";
        LOG.info("up (" + sinceStart() + "); greeted " + greeted + " peers");
        writeStatus();
        device.closed().thenRun(() -> {
            if (running) {
                LOG.info("interface " + ifName + " is gone; stopping");
                Thread.ofPlatform().name("weft-agent-stop").start(this::close);
            }
        });
        streamThread = Thread.ofPlatform().name("weft-map-stream").daemon().start(this::followMaps);
        scheduler.execute(this::heartbeat);
        scheduler.execute(this::report);
        scheduler.scheduleWithFixedDelay(this::writeStatus, 1, 1, TimeUnit.SECONDS);
    }

    /** Joins with the token, or takes the identity and the last map from the state directory; the first map, if any. */
    private NetworkMap joinOrResume(PrivateKey key, List<URI> urls, String ifName, int port) throws AgentException {
        client = new ControlClient(urls, ControlClient.newHttpClient());
        NetworkMap first = null;
        if (identity == null) {
            JoinResponse joined = join(key);
            identity = new StateDir.Identity(joined.nodeId(), settings.name(), joined.nodeCredential(),
                    urls.stream().map(URI::toString).toList(), ifName, port);
            first = joined.map();
            LOG.info("joined as " + joined.nodeId() + " with " + joined.addresses() + " (" + sinceStart() + ")");
        } else {
            LOG.info("resuming as " + identity.nodeId() + " from " + state.path());
            identity = identity.withCoordinators(urls.stream().map(URI::toString).toList(), ifName, port);
            try {
                first = state.lastMap().orElse(null);
            } catch (IOException e) {
                LOG.warning(e.getMessage() + "; waiting for a full map");
            }
            needFullMap = first == null;
        }
        client.credential(identity.credential());
        try {
            state.saveIdentity(identity);
        } catch (IOException e) {
            throw new AgentException("cannot save the node's identity in " + state.path() + ": " + e.getMessage());
        }
        return first;
    }

    /** A device that came up for a node that then could not join goes away again. */
    private void closeDevice() {
        if (metrics != null) {
            metrics.close();
        }
        if (uapi != null) {
            uapi.close();
        }
        if (device != null) {
            device.close();
        }
        state.clearRunning();
    }

    /** Milliseconds since the JVM started: where start-up time goes, in the log. */
    private static String sinceStart() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms after the JVM started";
    }

    private JoinResponse join(PrivateKey key) throws AgentException {
        long deadline = System.nanoTime() + JOIN_PATIENCE.toNanos();
        long backoff = 250;
        while (true) {
            try {
                return client.join(new JoinRequest(Protocol.PROTOCOL_VERSION, settings.token(), key.publicKey(),
                        settings.name(), advertisedEndpoints()));
            } catch (ControlException e) {
                if (!e.retryable() || System.nanoTime() > deadline) {
                    throw new AgentException("join refused: " + e.getMessage());
                }
                LOG.warning(e.getMessage() + "; retrying");
                sleep(backoff);
                backoff = Math.min(backoff * 2, 2000);
            }
        }
    }

    private void startDevice(PrivateKey key, String ifName, int port) throws AgentException {
        LinuxTun tun;
        try {
            NettyBind.checkAvailable();
            tun = LinuxTun.create(ifName);
        } catch (IOException | IllegalArgumentException e) {
            throw new AgentException("cannot create the TUN interface " + ifName + ": " + e.getMessage());
        }
        device = new Device(tun, new NettyBind(), DeviceOptions.defaults().withLoggerName("weft-agent"));
        try {
            device.apply(new DeviceUpdate(Optional.of(Optional.of(key)), OptionalInt.of(port), OptionalInt.empty(),
                    false, List.of()));
            device.start();
            uapi = new UapiServer(UapiServer.DEFAULT_SOCKET_DIRECTORY, tun.name(), device);
            if (settings.metricsListen() != null) {
                metrics = new MetricsServer(settings.metricsListen());
                metrics.add(device, net.weft.crypto.Clock.SYSTEM);
                registerAgentMetrics(metrics.registry());
                metrics.start();
                LOG.info("metrics on http://" + metrics.address().getHostString() + ":" + metrics.address().getPort() + "/metrics");
            }
        } catch (IOException | ConfigurationException | RuntimeException e) {
            if (uapi != null) {
                uapi.close();
            }
            device.close();
            throw new AgentException("cannot start the device on " + ifName + ": " + e.getMessage());
        }
        iface = new InterfaceConfig(Command.host(), ifName);
    }

    /** The agent's own gauges, next to the device's. */
    private void registerAgentMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("weft.node.coordinator.connected", this, a -> a.connected ? 1 : 0)
                .description("1 while the node follows a coordinator's map stream, else 0 (tunnels run on the last map)")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("weft.node.map.version", this, a -> a.current == null ? 0 : a.current.version())
                .description("The version of the network map the node applied").register(registry);
        io.micrometer.core.instrument.Gauge.builder("weft.node.routes", this, a -> a.installedRoutes.size())
                .description("Kernel routes the agent installed on its interface").register(registry);
    }

    /** Applies {@code next} to the device, the interface, the routes and the gateway role. */
    void apply(NetworkMap next) throws IOException, ConfigurationException {
        synchronized (applyLock) {
            NetworkMap old = current;
            device.apply(MapApplier.update(old, next));
            Self self = next.self();
            if (old == null || !old.self().equals(self)) {
                iface.up(self.mtu(), self.addresses());
                device.setForwarding(self.relay());
                applyGateway(self);
            }
            Set<IpPrefix> routes = MapApplier.routes(next);
            if (!routes.equals(installedRoutes)) {
                iface.syncRoutes(routes);
                installedRoutes = routes;
            }
            current = next;
            state.saveMap(next);
            LOG.info("map v" + next.version() + ": " + next.peers().size() + " peers, " + routes.size() + " routes"
                    + (self.relay() ? ", relay" : "") + (self.routes().isEmpty() ? "" : ", gateway for " + self.routes()));
        }
    }

    private void applyGateway(Self self) throws IOException {
        List<GatewayDuty> duties = self.gateways();
        if (!duties.isEmpty()) {
            if (forwarding == null) {
                forwarding = new Forwarding(Command.host());
                forwarding.enableIpv4();
            }
            if (firewall == null) {
                firewall = new GatewayFirewall(Command.host());
            }
            List<SnatRule> snat = new ArrayList<>();
            for (GatewayDuty d : duties) {
                if (d.snat()) {
                    snat.add(new SnatRule(d.cidrs()));
                }
            }
            firewall.apply(settings.interfaceName(), self.mtu(), snat);
            if (prober == null) {
                prober = new HealthProber(java.time.Clock.systemUTC(), this::healthRound);
            }
            prober.update(duties);
            gatewayOn = true;
        } else if (gatewayOn) {
            prober.update(List.of());
            firewall.remove();
            forwarding.restore();
            forwarding = null;
            gatewayOn = false;
        }
    }

    /** After each probe round: tell the coordinator (it lets a verdict lapse when not renewed). */
    private void healthRound(HealthReport report, boolean changed) {
        if (changed) {
            LOG.info("on-ramp " + report.onRamp() + " is " + (report.healthy() ? "healthy" : "unhealthy"));
        }
        scheduler.execute(() -> {
            try {
                client.report(new Report(Protocol.PROTOCOL_VERSION, null, List.of(report), null));
            } catch (ControlException e) {
                if (changed) {
                    LOG.warning("health report: " + e.getMessage());
                }
            }
        });
    }

    /** Follows the map stream until the agent stops, reconnecting with backoff to the next coordinator. */
    private void followMaps() {
        long backoff = 250;
        while (running) {
            NetworkMap base = current;
            long since = needFullMap || base == null ? 0 : base.version();
            try {
                client.stream(since, () -> {
                    connected = true;
                    lastError = null;
                    LOG.info("following maps from " + client.coordinator());
                }, this::onUpdate);
            } catch (ControlException e) {
                if (!running) {
                    return;
                }
                if (connected || !e.getMessage().equals(lastError)) {
                    LOG.warning(e.getMessage());
                }
                connected = false;
                lastError = e.getMessage();
                if (e.status() == 401 || e.status() == 403) {
                    lastError = e.getMessage() + " (this node was deleted or expired; tunnels stay up on the last map)";
                    backoff = MAX_BACKOFF.toMillis();
                }
                client.next();
                sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1));
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
                continue;
            }
            backoff = 250;
        }
    }

    private void onUpdate(MapUpdate update) {
        NetworkMap next;
        try {
            next = update.applyTo(current);
        } catch (IllegalArgumentException e) {
            LOG.warning("a delta does not fit map v" + (current == null ? 0 : current.version()) + " (" + e.getMessage()
                    + "); asking for a full map");
            needFullMap = true;
            client.closeStream();
            return;
        }
        needFullMap = false;
        if (next.equals(current)) {
            return;
        }
        try {
            apply(next);
        } catch (IOException | ConfigurationException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot apply map v" + next.version() + ": " + e.getMessage(), e);
            lastError = "cannot apply map v" + next.version() + ": " + e.getMessage();
        }
    }

    private void heartbeat() {
        if (!running) {
            return;
        }
        try {
            long lease = client.heartbeat();
            if (lease > 0) {
                leaseSeconds = lease;
            }
            heartbeatFailures = 0;
        } catch (ControlException e) {
            heartbeatFailures++;
            if (heartbeatFailures >= 2) {
                client.closeStream(); // this coordinator is gone: the stream moves on to the next one
            }
        }
        long every = Math.max(1, leaseSeconds / 3);
        reschedule(this::heartbeat, heartbeatFailures > 0 ? Math.min(every, 2) : every);
    }

    private void report() {
        if (!running) {
            return;
        }
        try {
            client.report(new Report(Protocol.PROTOCOL_VERSION, advertisedEndpoints(), null, peerReports()));
        } catch (ControlException e) {
            LOG.fine("report: " + e.getMessage());
        }
        reschedule(this::report, REPORT_INTERVAL.toSeconds());
    }

    private void reschedule(Runnable task, long seconds) {
        if (running && !scheduler.isShutdown()) {
            try {
                scheduler.schedule(task, seconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // stopping
            }
        }
    }

    /** The body of {@code POST /api/v1/report}; null parts are not reported. */
    record Report(int protocolVersion, List<Endpoint> endpoints, List<HealthReport> health, List<PeerReport> peers) {
    }

    /**
     * The endpoints to advertise: the ones given, else the local address the kernel picks towards the
     * coordinator, with our listen port.
     */
    List<Endpoint> advertisedEndpoints() {
        if (!settings.endpoints().isEmpty()) {
            return settings.endpoints();
        }
        URI c = client.coordinator();
        try (DatagramSocket probe = new DatagramSocket()) {
            int port = c.getPort() > 0 ? c.getPort() : "https".equals(c.getScheme()) ? 443 : 80;
            probe.connect(new InetSocketAddress(InetAddress.getByName(c.getHost()), port));
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress() || local.isLoopbackAddress()) {
                return List.of();
            }
            int listen = running ? device.status().listenPort() : settings.listenPort();
            return List.of(new Endpoint(local.getHostAddress(), listen > 0 ? listen : settings.listenPort()));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Per-peer counters for the coordinator: at most {@value #MAX_REPORTED_PEERS} (the report must stay under the
     * coordinator's 64 KiB body limit), the peers with the latest handshakes first.
     */
    private List<PeerReport> peerReports() {
        List<PeerReport> all = allPeerReports();
        if (all.size() <= MAX_REPORTED_PEERS) {
            return all;
        }
        return all.stream().sorted(java.util.Comparator.comparingLong(PeerReport::lastHandshakeMillis).reversed())
                .limit(MAX_REPORTED_PEERS).toList();
    }

    static final int MAX_REPORTED_PEERS = 300;
    /** Peers a starting agent sends a handshake to; more would be a burst of X25519 work for a large mesh. */
    static final int MAX_GREETED_PEERS = 1000;

    private List<PeerReport> allPeerReports() {
        NetworkMap map = current;
        Map<String, String> ids = nodeIdsByKey(map);
        List<PeerReport> out = new ArrayList<>();
        for (PeerStatus p : device.status().peers()) {
            String id = ids.get(p.publicKey().toBase64());
            if (id != null) {
                out.add(new PeerReport(id, p.endpoint().map(e -> new Endpoint(e.getAddress().getHostAddress(), e.getPort())).orElse(null),
                        p.rxBytes(), p.txBytes(), p.lastHandshakeEpochNanos() / 1_000_000));
            }
        }
        return out;
    }

    private static Map<String, String> nodeIdsByKey(NetworkMap map) {
        Map<String, String> ids = new LinkedHashMap<>();
        if (map != null) {
            for (Peer p : map.peers()) {
                ids.put(p.publicKey().toBase64(), p.nodeId());
            }
        }
        return ids;
    }

    /** The status snapshot, as {@code weft status} shows it. */
    public AgentStatus status() {
        NetworkMap map = current;
        Map<String, String> ids = nodeIdsByKey(map);
        List<AgentStatus.PeerView> peers = new ArrayList<>();
        if (device != null) {
            DeviceStatus ds = device.status();
            for (PeerStatus p : ds.peers()) {
                peers.add(new AgentStatus.PeerView(ids.get(p.publicKey().toBase64()), p.publicKey(),
                        p.endpoint().map(e -> new Endpoint(e.getAddress().getHostAddress(), e.getPort()).toString()).orElse(null),
                        p.allowedIps(), p.lastHandshakeEpochNanos() / 1_000_000, p.rxBytes(), p.txBytes()));
            }
        }
        List<AgentStatus.GatewayView> gateways = new ArrayList<>();
        List<AgentStatus.RouteView> routes = new ArrayList<>();
        if (map != null) {
            Map<String, HealthReport> health = prober == null ? Map.of() : prober.latest();
            for (GatewayDuty d : map.self().gateways()) {
                HealthReport h = health.get(d.onRamp());
                gateways.add(new AgentStatus.GatewayView(d.onRamp(), d.cidrs(), d.active(), h != null && h.healthy()));
            }
            for (Peer p : map.peers()) {
                for (IpPrefix a : p.allowedIps()) {
                    if (!a.isHost()) {
                        routes.add(new AgentStatus.RouteView(a, p.nodeId()));
                    }
                }
            }
        }
        StateDir.Identity id = identity;
        return new AgentStatus(ProcessHandle.current().pid(), phase, id == null ? null : id.nodeId(),
                id == null ? settings.name() : id.name(), settings.interfaceName(),
                map == null ? List.of() : map.self().addresses(),
                device == null ? settings.listenPort() : device.status().listenPort(),
                client == null ? null : client.coordinator().toString(), connected, lastError,
                map == null ? 0 : map.version(), System.currentTimeMillis(), map != null && map.self().relay(),
                peers, gateways, routes);
    }

    private void writeStatus() {
        try {
            state.saveStatus(status());
        } catch (RuntimeException e) {
            LOG.fine("status: " + e.getMessage());
        }
    }

    /** Completes when the agent has stopped (closed, or its interface was deleted). */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (stopped.isDone() || phase.equals("stopping")) {
                return;
            }
            phase = "stopping";
        }
        running = false;
        if (client != null) {
            client.closeStream();
        }
        scheduler.shutdownNow();
        if (streamThread != null) {
            streamThread.interrupt();
        }
        synchronized (applyLock) {
            quietly("health prober", () -> {
                if (prober != null) {
                    prober.close();
                }
            });
            quietly("firewall", () -> {
                if (firewall != null) {
                    firewall.remove();
                }
            });
            quietly("forwarding", () -> {
                if (forwarding != null) {
                    forwarding.restore();
                }
            });
            quietly("routes", () -> {
                if (iface != null) {
                    iface.down();
                }
            });
            quietly("metrics", () -> {
                if (metrics != null) {
                    metrics.close();
                }
            });
            quietly("uapi", () -> {
                if (uapi != null) {
                    uapi.close();
                }
            });
            quietly("device", () -> {
                if (device != null) {
                    device.close();
                }
            });
        }
        state.clearRunning();
        LOG.info("stopped");
        stopped.complete(null);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warning("stopping " + what + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
