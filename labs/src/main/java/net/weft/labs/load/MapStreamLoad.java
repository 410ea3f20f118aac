package net.weft.labs.load;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.weft.crypto.key.PrivateKey;

/**
 * Simulates N nodes holding map streams against one coordinator and measures how long one join takes to
 * reach every connected stream.
 *
 * <p>Phases: start (or connect to) a coordinator; create one reusable token; join N nodes, a bounded number
 * at a time, each with a fresh X25519 key and a TEST-NET endpoint; open the N map streams with
 * {@code ?since=} the current version (so no full map is sent: a reconnect, not a first connect); then K
 * measured joins one at a time, each timed from sending the join until every stream has received the event
 * that carries the new node's public key. The coordinator's heap (from {@code /q/metrics}) and CPU seconds
 * ({@code /proc/PID/stat}) are reported when its pid is known. One {@code RESULT} line on stdout at the end.
 *
 * <pre>
 * java -cp weft-labs-benchmarks.jar net.weft.labs.load.MapStreamLoad --nodes 1000 --start-coordinator
 *      [--build-dir target] [--heap 1g] [--joins 20] [--join-concurrency 8] [--clients 4] [--connect-batch 500] [--max-seconds 240]
 * java -cp ... net.weft.labs.load.MapStreamLoad --nodes 1000 --coordinator http://127.0.0.1:8080
 *      --admin-credential-file DATA_DIR/admin.credential [--coordinator-pid PID]
 * </pre>
 */
public final class MapStreamLoad {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CREDENTIAL = Pattern.compile("\"nodeCredential\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
    private static final Pattern STREAMS = Pattern.compile("\"streams\"\\s*:\\s*(\\d+)");
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+(\\S+)");

    private final Options o;
    private final long deadline;
    private final HttpClient control = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private String base;
    private long pid = -1;
    private Process coordinator;
    private Path workDir;
    private String admin;
    private String token;
    /** The public key of the join being measured, read by every stream; null between measurements. */
    private volatile String awaitedKey;
    private volatile CountDownLatch arrived;
    private volatile long[] arrivals;
    private final AtomicInteger fullEvents = new AtomicInteger();
    private final AtomicInteger deltaEvents = new AtomicInteger();
    private final AtomicInteger streamsEnded = new AtomicInteger();
    private final AtomicInteger streamsOpen = new AtomicInteger();

    private MapStreamLoad(Options o) {
        this.o = o;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.maxSeconds);
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        MapStreamLoad load = new MapStreamLoad(o);
        Thread hook = new Thread(load::killCoordinator, "kill-coordinator");
        Runtime.getRuntime().addShutdownHook(hook);
        int rc;
        try {
            rc = load.run();
        } finally {
            load.killCoordinator();
        }
        System.exit(rc);
    }

    private int run() throws Exception {
        if (o.coordinator == null) {
            startCoordinator();
        } else {
            base = o.coordinator;
            pid = o.coordinatorPid;
            admin = Files.readString(Path.of(o.adminCredentialFile), StandardCharsets.UTF_8).strip();
        }
        log("coordinator " + base + (pid > 0 ? " pid " + pid : "") + "; load " + loadAverage());
        String tokenJson = send(post("/api/v1/tokens", admin,
                "{\"reusable\":true,\"uses\":" + (o.nodes + o.joins + 10) + ",\"expires\":\"24h\"}"), 201);
        token = match(SECRET, tokenJson, "token secret");

        long cpuStart = cpuTicks();
        long t0 = System.nanoTime();
        List<String> credentials = joinAll();
        long joinNanos = System.nanoTime() - t0;
        log(String.format(Locale.ROOT, "joined %d nodes in %.1f s (%.0f joins/s); coordinator CPU %.1f s; load %s",
                o.nodes, joinNanos / 1e9, o.nodes / (joinNanos / 1e9), (cpuTicks() - cpuStart) / 100.0, loadAverage()));

        long version = Long.parseLong(match(VERSION, send(get("/api/v1/status", admin), 200), "version"));
        t0 = System.nanoTime();
        List<HttpClient> clients = openStreams(credentials, version);
        int open = awaitStreams(o.nodes);
        log(String.format(Locale.ROOT, "%d of %d streams open in %.1f s (since=%d; full events %d); load %s",
                open, o.nodes, (System.nanoTime() - t0) / 1e9, version, fullEvents.get(), loadAverage()));
        if (open < o.nodes) {
            return abort("only " + open + " of " + o.nodes + " streams open");
        }

        measureJoin(-1); // warm-up, not counted
        long cpuBefore = cpuTicks();
        long wallBefore = System.nanoTime();
        List<long[]> rows = new ArrayList<>();
        String load1 = loadAverage();
        for (int k = 0; k < o.joins; k++) {
            if (System.nanoTime() > deadline) {
                return abort("time ran out after " + k + " measured joins");
            }
            long[] row = measureJoin(k);
            if (row == null) {
                return abort("join " + k + " did not reach every stream within " + o.joinTimeoutSeconds + " s");
            }
            rows.add(row);
            Thread.sleep(o.pauseMillis);
        }
        double cpuSeconds = (cpuTicks() - cpuBefore) / 100.0;
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        String load2 = loadAverage();
        double heapMb = heapBytes() / 1e6;
        // across the K joins: the median of each join's p50, and the worst p99 and max
        long[] p50s = rows.stream().mapToLong(r -> r[0]).sorted().toArray();
        long[] p99s = rows.stream().mapToLong(r -> r[1]).sorted().toArray();
        long[] maxes = rows.stream().mapToLong(r -> r[2]).sorted().toArray();
        long[] joinRtts = rows.stream().mapToLong(r -> r[3]).sorted().toArray();
        System.out.printf(Locale.ROOT, "RESULT nodes=%d joins=%d p50_ms=%.1f p99_ms=%.1f p99_median_ms=%.1f max_ms=%.1f"
                        + " join_http_p50_ms=%.1f heap_mb=%.0f cpu_s=%.1f wall_s=%.1f full_events=%d streams_ended=%d"
                        + " load_before=\"%s\" load_after=\"%s\"%n",
                o.nodes, rows.size(), pct(p50s, 50) / 1e6, p99s[p99s.length - 1] / 1e6, pct(p99s, 50) / 1e6,
                maxes[maxes.length - 1] / 1e6, pct(joinRtts, 50) / 1e6, heapMb, cpuSeconds, wall, fullEvents.get(),
                streamsEnded.get(), load1, load2);
        clients.forEach(HttpClient::shutdownNow);
        return 0;
    }

    // ---- coordinator ----

    private void startCoordinator() throws Exception {
        Path repo = Path.of(o.repo).toAbsolutePath().normalize();
        Path jar = repo.resolve("coordinator").resolve(o.buildDir).resolve("quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged coordinator at " + jar);
        }
        int port = freePort();
        workDir = Files.createDirectories(repo.resolve("labs").resolve(o.buildDir).resolve("coordinator-load"));
        workDir = Files.createTempDirectory(workDir, "n" + o.nodes + "-");
        Path data = workDir.resolve("data");
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(CoordinatorJvm.FLAGS);
        argv.add("-Xmx" + o.heap);
        argv.add("-Dquarkus.http.host=127.0.0.1");
        argv.add("-Dquarkus.http.port=" + port);
        argv.add("-Dweft.data-dir=" + data);
        argv.add("-Dweft.cluster.name=weft-load-" + ProcessHandle.current().pid());
        argv.add("-Dweft.cluster.bind=127.0.0.1");
        argv.add("-Dweft.cluster.port=" + freePort());
        argv.add("-Dweft.cluster.join-wait=0s");
        // every simulated node joins from 127.0.0.1: lift the per-source join limit for the run
        argv.add("-Dweft.join.burst=1000000");
        argv.add("-Dweft.join.per-minute=1000000");
        argv.add("-jar");
        argv.add(jar.toString());
        Path logFile = workDir.resolve("coordinator.log");
        coordinator = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        pid = coordinator.pid();
        base = "http://127.0.0.1:" + port;
        log("started coordinator pid " + pid + " (-Xmx" + o.heap + "), log " + logFile);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!coordinator.isAlive()) {
                throw new IllegalStateException("coordinator exited: " + Files.readString(logFile));
            }
            try {
                if (control.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("coordinator not ready within 60 s");
            }
            Thread.sleep(200);
        }
        Path cred = data.resolve("admin.credential");
        admin = Files.readString(cred, StandardCharsets.UTF_8).strip();
    }

    private void killCoordinator() {
        Process p = coordinator;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int abort(String why) {
        log("ABORT: " + why + "; load " + loadAverage());
        if (pid > 0) {
            Path dump = Path.of(workDir != null ? workDir.toString() : System.getProperty("java.io.tmpdir"),
                    "coordinator-threads-" + pid + ".txt");
            try {
                new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid), "Thread.print").redirectErrorStream(true).redirectOutput(dump.toFile())
                        .start().waitFor(30, TimeUnit.SECONDS);
                log("coordinator thread dump: " + dump);
            } catch (IOException | InterruptedException e) {
                log("no thread dump: " + e);
            }
        }
        System.out.printf(Locale.ROOT, "RESULT nodes=%d not_reached=\"%s\" heap_mb=%.0f full_events=%d streams_ended=%d load=\"%s\"%n",
                o.nodes, why, heapBytes() / 1e6, fullEvents.get(), streamsEnded.get(), loadAverage());
        return 2;
    }

    // ---- joins ----

    private List<String> joinAll() throws Exception {
        String[] credentials = new String[o.nodes];
        Semaphore inFlight = new Semaphore(o.joinConcurrency);
        AtomicInteger failures = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(o.joinConcurrency)) {
            for (int i = 0; i < o.nodes; i++) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("time ran out after " + i + " joins");
                }
                inFlight.acquire();
                int n = i;
                pool.execute(() -> {
                    try {
                        credentials[n] = match(CREDENTIAL, joinRetrying(n).body(), "node credential");
                    } catch (Exception e) {
                        if (failures.incrementAndGet() < 5) {
                            log("join " + n + " failed: " + e);
                        }
                    } finally {
                        inFlight.release();
                    }
                });
                if ((i + 1) % 1000 == 0) {
                    log("  " + (i + 1) + " joined; load " + loadAverage());
                }
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " joins failed");
        }
        return Arrays.asList(credentials);
    }

    /**
     * A setup join with a fresh key; a connection the server closed under the client (a pooled keep-alive
     * connection, or a reset under load) is retried twice, a refusal (4xx) is not.
     */
    private HttpResponse<String> joinRetrying(int n) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return join(n, PrivateKey.generate(RANDOM).publicKey().toBase64());
            } catch (Refused e) {
                throw e;
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
                log("join " + n + " retried after: " + e);
            }
        }
    }

    /** The coordinator answered a join with something other than 200. */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private HttpResponse<String> join(int n, String publicKey) throws Exception {
        // endpoints from TEST-NET-2 and TEST-NET-3, one address and port per node
        String endpoint = (n % 2 == 0 ? "198.51.100." : "203.0.113.") + (1 + (n / 2) % 254) + ":" + (20000 + (n & 0x7fff));
        String body = "{\"protocolVersion\":1,\"token\":\"" + token + "\",\"publicKey\":\"" + publicKey
                + "\",\"hostname\":\"load-" + n + "\",\"endpoints\":[\"" + endpoint + "\"]}";
        HttpResponse<String> r = control.send(post("/api/v1/join", null, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new Refused("join " + n + ": " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    /** One measured join; {p50, p99, max, join round trip} in nanoseconds, or null when a stream missed it. */
    private long[] measureJoin(int k) throws Exception {
        String key = PrivateKey.generate(RANDOM).publicKey().toBase64();
        long[] times = new long[o.nodes];
        Arrays.fill(times, -1);
        CountDownLatch latch = new CountDownLatch(o.nodes);
        arrivals = times;
        arrived = latch;
        awaitedKey = key;
        long start = System.nanoTime();
        join(o.nodes + 1 + k, key);
        long rtt = System.nanoTime() - start;
        boolean all = latch.await(o.joinTimeoutSeconds, TimeUnit.SECONDS);
        awaitedKey = null;
        if (!all) {
            log("join " + k + ": " + latch.getCount() + " streams missed it");
            return null;
        }
        long[] d = new long[o.nodes];
        for (int i = 0; i < d.length; i++) {
            d[i] = times[i] - start;
        }
        Arrays.sort(d);
        long[] row = {pct(d, 50), pct(d, 99), d[d.length - 1], rtt};
        log(String.format(Locale.ROOT, "join %s: http %.1f ms, to all: p50 %.1f p99 %.1f max %.1f ms; load %s",
                k < 0 ? "warm-up" : Integer.toString(k), rtt / 1e6, row[0] / 1e6, row[1] / 1e6, row[2] / 1e6,
                loadAverage()));
        return row;
    }

    // ---- streams ----

    private List<HttpClient> openStreams(List<String> credentials, long since) throws Exception {
        List<HttpClient> clients = new ArrayList<>();
        ExecutorService callbacks = Executors.newFixedThreadPool(o.clients);
        for (int c = 0; c < o.clients; c++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(callbacks)
                    .connectTimeout(Duration.ofSeconds(30)).build());
        }
        // in batches, each confirmed by the coordinator's stream count: with since=current the response
        // headers may only come with the first event, so they cannot pace the connects
        for (int from = 0; from < credentials.size(); from += o.connectBatch) {
            int to = Math.min(credentials.size(), from + o.connectBatch);
            for (int i = from; i < to; i++) {
                int index = i;
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/map/stream?since=" + since))
                        .header("Authorization", "Bearer " + credentials.get(i)).header("Accept", "text/event-stream")
                        .GET().build();
                clients.get(i % clients.size()).sendAsync(request, info -> {
                    if (info.statusCode() == 200) {
                        streamsOpen.incrementAndGet();
                    }
                    return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines(index));
                }).whenComplete((r, e) -> {
                    if (e != null) {
                        streamsEnded.incrementAndGet();
                    }
                });
            }
            if (awaitStreams(to) < to) {
                break;
            }
        }
        return clients;
    }

    /** Waits until the coordinator counts {@code n} streams; returns its last count. */
    private int awaitStreams(int n) throws Exception {
        int streams = 0;
        while (System.nanoTime() < deadline) {
            streams = Integer.parseInt(match(STREAMS, send(get("/api/v1/status", admin), 200), "streams"));
            if (streams >= n) {
                return streams;
            }
            Thread.sleep(100);
        }
        return streams;
    }

    /** One stream's lines: marks the arrival of the event whose data names the awaited key. */
    private final class Lines implements Flow.Subscriber<String> {
        private final int index;
        private String event;

        Lines(int index) {
            this.index = index;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
                (event.equals("full") ? fullEvents : deltaEvents).incrementAndGet();
            } else if (line.startsWith("data:")) {
                String key = awaitedKey;
                long[] times = arrivals;
                if (key != null && times[index] < 0 && line.contains(key)) {
                    times[index] = System.nanoTime();
                    arrived.countDown();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            streamsEnded.incrementAndGet();
        }

        @Override
        public void onComplete() {
            streamsEnded.incrementAndGet();
        }
    }

    // ---- small helpers ----

    private HttpRequest post(String path, String credential, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        return b.build();
    }

    private HttpRequest get(String path, String credential) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + credential).GET().build();
    }

    private String send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> r = control.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException(request.uri() + ": expected " + expected + ", got " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String match(Pattern p, String text, String what) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " in the answer");
        }
        return m.group(1);
    }

    /** Sum of the coordinator's heap pools from its Prometheus metrics, or -1. */
    private double heapBytes() {
        try {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = HEAP.matcher(r.body());
            double sum = 0;
            boolean any = false;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
                any = true;
            }
            return any ? sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** utime + stime of the coordinator in clock ticks (USER_HZ, 100 on Linux), or 0 when unknown. */
    private long cpuTicks() {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void log(String line) {
        System.err.println(java.time.LocalTime.now().withNano(0) + " " + line);
    }

    /** Command line options. */
    private static final class Options {
        int nodes = 1000;
        int joins = 20;
        String coordinator;
        long coordinatorPid = -1;
        String adminCredentialFile;
        String repo = System.getProperty("user.dir");
        String buildDir = System.getenv().getOrDefault("WEFT_BUILD_DIR", "target");
        String heap = "1g";
        int joinConcurrency = 8;
        int connectBatch = 500;
        int clients = 4;
        long maxSeconds = 240;
        long joinTimeoutSeconds = 30;
        long pauseMillis = 200;

        static Options parse(String[] args) {
            Options o = new Options();
            boolean start = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--start-coordinator" -> start = true;
                    case "--nodes" -> o.nodes = Integer.parseInt(args[++i]);
                    case "--joins" -> o.joins = Integer.parseInt(args[++i]);
                    case "--coordinator" -> o.coordinator = args[++i];
                    case "--coordinator-pid" -> o.coordinatorPid = Long.parseLong(args[++i]);
                    case "--admin-credential-file" -> o.adminCredentialFile = args[++i];
                    case "--repo" -> o.repo = args[++i];
                    case "--build-dir" -> o.buildDir = args[++i];
                    case "--heap" -> o.heap = args[++i];
                    case "--join-concurrency" -> o.joinConcurrency = Integer.parseInt(args[++i]);
                    case "--connect-batch" -> o.connectBatch = Integer.parseInt(args[++i]);
                    case "--clients" -> o.clients = Integer.parseInt(args[++i]);
                    case "--max-seconds" -> o.maxSeconds = Long.parseLong(args[++i]);
                    case "--join-timeout-seconds" -> o.joinTimeoutSeconds = Long.parseLong(args[++i]);
                    case "--pause-ms" -> o.pauseMillis = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (start == (o.coordinator != null)) {
                throw new IllegalArgumentException("give exactly one of --start-coordinator and --coordinator URL");
            }
            if (o.coordinator != null && o.adminCredentialFile == null) {
                throw new IllegalArgumentException("--coordinator needs --admin-credential-file");
            }
            return o;
        }
    }
}
