package net.weft.node.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.weft.crypto.Clock;
import net.weft.node.conn.NettyBind;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.Device;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.DeviceOptions;
import net.weft.node.metrics.MetricsServer;
import net.weft.node.tun.LinuxTun;
import net.weft.node.uapi.UapiServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code weft-wg [-f] IFNAME}: a bare userspace WireGuard device with wireguard-go's contract. It
 * creates the TUN interface, serves the UAPI on {@code /var/run/wireguard/IFNAME.sock} for
 * {@code wg} and {@code wg-quick}, and runs until SIGTERM or until the interface is deleted, then
 * removes its socket. Detaching is done by {@code bin/weft-wg}, which starts this in the
 * foreground of a new session and returns once the socket is up.
 */
@Command(name = "weft-wg", mixinStandardHelpOptions = true, versionProvider = WeftWg.Version.class,
        description = {"A userspace WireGuard device, driven by wg and wg-quick.", "",
                "Environment: LOG_LEVEL=verbose|error|silent (default error);",
                "WEFT_WG_CRYPTO_WORKERS=N crypto threads (default 0: inline);",
                "WEFT_WG_WARMUP=0 skips the start-up warm-up of the packet path",
                "(two throwaway devices exchange 20,000 packets in a network namespace of their own, so that the JIT compiles it)."},
        exitCodeOnInvalidInput = 2)
public final class WeftWg implements Callable<Integer> {

    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground (bin/weft-wg detaches without it).")
    boolean foreground;

    @Option(names = "--metrics-listen", paramLabel = "ADDR:PORT",
            description = "Serve Prometheus metrics on http://ADDR:PORT/metrics (e.g. 127.0.0.1:9586). "
                    + "Off by default; the endpoint has no authentication, so keep it on loopback.")
    String metricsListen;

    @Parameters(index = "0", paramLabel = "IFNAME", description = "Interface name, at most 15 characters.")
    String interfaceName;

    private static final Logger LOG = Logger.getLogger("weft-wg");
    /** The MTU a new interface starts with, as wireguard-go's: 1500 minus the IPv6 and WireGuard overhead. */
    static final int DEFAULT_MTU = 1420;
    /** Inline crypto measured best on 2 cores (see BENCHMARKS.md). */
    static final int DEFAULT_CRYPTO_WORKERS = 0;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new WeftWg()).execute(args);
    }

    @Override
    public Integer call() {
        configureLogging(System.getenv("LOG_LEVEL"), interfaceName);
        InetSocketAddress metricsAddress;
        try {
            metricsAddress = metricsListen == null ? null : parseListen(metricsListen);
        } catch (IllegalArgumentException e) {
            System.err.println("weft-wg: --metrics-listen: " + e.getMessage());
            return 2;
        }
        LinuxTun tun;
        try {
            NettyBind.checkAvailable();
            tun = LinuxTun.create(interfaceName);
            tun.setMtu(DEFAULT_MTU);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("weft-wg: cannot create TUN device " + interfaceName + ": " + e.getMessage());
            return 1;
        }
        int cryptoWorkers;
        try {
            cryptoWorkers = cryptoWorkers(System.getenv("WEFT_WG_CRYPTO_WORKERS"));
        } catch (IllegalArgumentException e) {
            System.err.println("weft-wg: WEFT_WG_CRYPTO_WORKERS: " + e.getMessage());
            tun.close();
            return 2;
        }
        Device device = new Device(tun, new NettyBind(),
                DeviceOptions.defaults().withLoggerName("weft-wg").withCryptoWorkers(cryptoWorkers));
        UapiServer uapi = null;
        MetricsServer metrics = null;
        try {
            // like wireguard-go: listen on a random port before any configuration arrives
            device.apply(new DeviceUpdate(Optional.empty(), OptionalInt.of(0), OptionalInt.empty(), false, List.of()));
            device.start();
            if (metricsAddress != null) {
                metrics = new MetricsServer(metricsAddress);
                metrics.add(device, Clock.SYSTEM);
                metrics.start();
                LOG.info("metrics on http://" + metrics.address().getHostString() + ":" + metrics.address().getPort() + "/metrics");
            }
            uapi = new UapiServer(UapiServer.DEFAULT_SOCKET_DIRECTORY, tun.name(), device);
        } catch (IOException | ConfigurationException | RuntimeException e) {
            System.err.println("weft-wg: " + tun.name() + ": " + e.getMessage());
            closeQuietly(metrics);
            device.close();
            return 1;
        }
        LOG.info("device " + tun.name() + " started");
        if (!"0".equals(System.getenv("WEFT_WG_WARMUP"))) {
            PathWarmup.start();
        }
        if (System.getenv("WEFT_WG_DETACHED") != null) {
            detachOutput();
        }
        // SIGTERM and SIGINT close the device; the daemon then cleans up and exits 0, as wireguard-go
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> {
                LOG.info("received SIG" + name + ", shutting down " + tun.name());
                Thread.ofPlatform().name("weft-wg-signal").start(device::close);
            });
        }
        device.closed().join(); // the interface was deleted, or a signal closed the device
        LOG.info("device " + tun.name() + " closed");
        shutdown(uapi, device, metrics);
        return 0;
    }

    /**
     * Crypto worker threads from {@code WEFT_WG_CRYPTO_WORKERS}: unset or 0 seals and opens inline
     * on the TUN reader and the UDP event loop ({@value #DEFAULT_CRYPTO_WORKERS} by default).
     */
    static int cryptoWorkers(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_CRYPTO_WORKERS;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + value);
        }
        if (n < 0 || n > 64) {
            throw new IllegalArgumentException("must be within 0..64: " + value);
        }
        LOG.info("crypto workers: " + n);
        return n;
    }

    private static void shutdown(UapiServer uapi, Device device, MetricsServer metrics) {
        closeQuietly(uapi);
        device.close();
        closeQuietly(metrics);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing " + c + " failed", e);
        }
    }

    /** {@code ADDR:PORT} or {@code [V6]:PORT}. */
    static InetSocketAddress parseListen(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("want ADDR:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        if (!host.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("want a literal IP address, got '" + host + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad address '" + host + "'");
        }
    }

    /**
     * LOG_LEVEL as wireguard-go reads it: {@code verbose} (or {@code debug}) logs everything,
     * {@code error} (the default) errors only, {@code silent} nothing. One line per record, to stderr.
     */
    static void configureLogging(String logLevel, String interfaceName) {
        Level level = switch (logLevel == null ? "" : logLevel) {
            case "verbose", "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "silent" -> Level.OFF;
            default -> Level.WARNING;
        };
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(level);
        handler.setFormatter(new LineFormatter(interfaceName));
        root.addHandler(handler);
        // Netty's own chatter stays at warnings even when verbose
        Logger.getLogger("io.netty").setLevel(level.intValue() < Level.WARNING.intValue() ? Level.INFO : level);
    }

    /** After a detached start: nothing more goes to the start-up log, as wireguard-go without LOG_LEVEL. */
    private static void detachOutput() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.setLevel(Level.OFF);
        }
    }

    /** {@code DEBUG: (wg0) 2026/11/30 03:40:00 message}, the shape of wireguard-go's log lines. */
    private static final class LineFormatter extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
        private final String interfaceName;

        LineFormatter(String interfaceName) {
            this.interfaceName = interfaceName;
        }

        @Override
        public String format(LogRecord r) {
            String level = r.getLevel().intValue() >= Level.WARNING.intValue() ? "ERROR" : r.getLevel().intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
            StringBuilder sb = new StringBuilder(level).append(": (").append(interfaceName).append(") ")
                    .append(LocalDateTime.ofInstant(r.getInstant(), ZoneId.systemDefault()).format(TIME)).append(' ').append(formatMessage(r));
            if (r.getThrown() != null) {
                sb.append(": ").append(r.getThrown());
            }
            return sb.append(System.lineSeparator()).toString();
        }
    }

    /** The version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WeftWg.class.getPackage().getImplementationVersion();
            return new String[] {"weft-wg " + (v == null ? "dev" : v)};
        }
    }
}
