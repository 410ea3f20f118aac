package net.weft.node.uapi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.weft.node.device.Configurable;

/**
 * Serves the UAPI on the Unix domain socket {@code DIR/IFNAME.sock} ({@code /var/run/wireguard} in
 * production), mode 0600, so stock {@code wg} and {@code wg-quick} drive the device.
 *
 * <p>Threads: one platform thread accepts; each connection gets a virtual thread running a
 * {@link UapiSession}; one watchdog thread closes connections whose idle or request time has run
 * out, so a stuck client frees its slot. At most {@link UapiLimits#maxConnections()} connections
 * are served at once; later clients wait in the listen backlog. {@link #close()} stops them all.
 *
 * <p>The socket is bound inside a fresh private directory (0700), set to 0600 there, and only then
 * hard-linked to its public name: no client can connect before the mode is right, whatever the
 * umask, and the link fails rather than replace a socket another daemon created meanwhile.
 */
public final class UapiServer implements AutoCloseable {

    /** Where {@code wg} looks for userspace interfaces on Linux. */
    public static final Path DEFAULT_SOCKET_DIRECTORY = Path.of("/var/run/wireguard");
    /** How long {@link #close()} waits for its threads. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final long WATCHDOG_PERIOD_MILLIS = 100;

    private final String interfaceName;
    private final Configurable device;
    private final UapiLimits limits;
    private final Path socketPath;
    private final Object socketFileKey;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ScheduledExecutorService watchdog;
    private final ThreadFactory connectionThreads;
    /** One permit per connection slot; the acceptor takes one before accepting, a connection's thread returns it. */
    private final Semaphore slots;
    /** Open connections, added by the acceptor, removed by their own thread, closed by the watchdog or close(). */
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Serves {@code device} on {@code socketDirectory/interfaceName.sock} with the default limits. */
    public UapiServer(Path socketDirectory, String interfaceName, Configurable device) throws IOException {
        this(socketDirectory, interfaceName, device, UapiLimits.DEFAULTS);
    }

    /**
     * Binds the socket and starts serving.
     *
     * @throws IOException when the directory or socket cannot be made, or another daemon owns the name
     */
    public UapiServer(Path socketDirectory, String interfaceName, Configurable device, UapiLimits limits)
            throws IOException {
        this.interfaceName = checkInterfaceName(interfaceName);
        this.device = Objects.requireNonNull(device, "device");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.socketPath = socketDirectory.resolve(interfaceName + ".sock");
        this.slots = new Semaphore(limits.maxConnections());
        ensureDirectory(socketDirectory);
        removeStaleSocket();
        this.server = bind(socketDirectory);
        try {
            this.socketFileKey = Files.readAttributes(socketPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            this.connectionThreads = Thread.ofVirtual().name("weft-uapi-" + interfaceName + "-conn-", 0).factory();
            this.watchdog = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("weft-uapi-" + interfaceName + "-watchdog").daemon().factory());
            this.watchdog.scheduleWithFixedDelay(this::closeExpired, WATCHDOG_PERIOD_MILLIS, WATCHDOG_PERIOD_MILLIS,
                    TimeUnit.MILLISECONDS);
            this.acceptor = Thread.ofPlatform().name("weft-uapi-" + interfaceName + "-accept").daemon()
                    .start(this::acceptLoop);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socketPath);
            throw e;
        }
        LOG.log(Level.INFO, "UAPI for {0} listening on {1}", interfaceName, socketPath);
    }

    /** The socket file {@code wg} connects to. */
    public Path socketPath() {
        return socketPath;
    }

    /**
     * True while the socket file is still the one this server created. wireguard-go exits when its
     * socket file is deleted; a daemon can poll this to do the same.
     */
    public boolean socketFilePresent() {
        try {
            return socketFileKey.equals(Files.readAttributes(socketPath, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** Connections being served right now. */
    int openConnections() {
        return connections.size();
    }

    /** True while any thread this server started still runs. */
    boolean anyThreadAlive() {
        return acceptor.isAlive() || !watchdog.isTerminated() || connections.stream().anyMatch(c -> c.thread.isAlive());
    }

    /**
     * Stops accepting, closes every connection, removes the socket file (when it is still ours) and
     * waits up to {@link #CLOSE_WAIT} for every thread this server started.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "UAPI " + interfaceName + ": closing the listening socket failed", e);
        }
        acceptor.interrupt();
        watchdog.shutdownNow();
        for (Connection c : connections) {
            c.close();
        }
        if (socketFilePresent()) {
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "UAPI " + interfaceName + ": could not remove " + socketPath, e);
            }
        }
        try {
            join(acceptor, deadline);
            for (Connection c : connections) {
                join(c.thread, deadline);
            }
            watchdog.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (anyThreadAlive()) {
            LOG.log(Level.WARNING, "UAPI {0}: threads still running {1} after close", interfaceName, CLOSE_WAIT);
        }
    }

    private static void join(Thread t, long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            t.join(Duration.ofNanos(left));
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                slots.release();
                return;
            } catch (IOException e) {
                slots.release();
                // e.g. out of file descriptors: do not spin
                LOG.log(Level.WARNING, "UAPI " + interfaceName + ": accept failed", e);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            Connection c = new Connection(channel);
            connections.add(c);
            c.thread.start();
            if (closed.get()) {
                // close() may have looked at the set before this connection was in it
                c.close();
            }
        }
    }

    private void serve(Connection c) {
        try {
            c.session.run();
        } catch (ClosedChannelException e) {
            LOG.log(Level.DEBUG, "UAPI {0}: connection closed (timeout or shutdown)", interfaceName);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "UAPI {0}: connection failed: {1}", interfaceName, e.toString());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "UAPI " + interfaceName + ": connection handler failed", e);
        } finally {
            c.close();
            connections.remove(c);
            slots.release();
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (Connection c : connections) {
            if (c.session.expired(now)) {
                LOG.log(Level.DEBUG, "UAPI {0}: closing a connection that ran out of time", interfaceName);
                c.close();
            }
        }
    }

    private static String checkInterfaceName(String name) {
        // Linux's dev_valid_name: 1 to 15 bytes, not "." or "..", no '/', ':' or whitespace
        if (name == null || name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")
                || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != ':')) {
            throw new IllegalArgumentException("not a valid interface name: 1 to 15 printable ASCII characters,"
                    + " no '/', ':' or space, not . or ..");
        }
        return name;
    }

    private static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        // as wireguard-go: 0755, whatever the umask made of it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Removes a socket file nobody answers on (a daemon that died); refuses when one answers. */
    private void removeStaleSocket() throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(socketPath, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(socketPath + " exists and is not a socket; not replacing it");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // non-blocking, so a live daemon with a full backlog cannot hang the probe
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(socketPath));
            throw new IOException("another daemon owns " + interfaceName + ": " + socketPath + " answers");
        } catch (ConnectException e) {
            // refused: nobody listens any more
            LOG.log(Level.INFO, "UAPI {0}: removing stale socket {1}", interfaceName, socketPath);
            Files.deleteIfExists(socketPath);
        }
    }

    private ServerSocketChannel bind(Path dir) throws IOException {
        Path privateDir = Files.createTempDirectory(dir, "." + interfaceName + "-bind-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path privateSocket = privateDir.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(privateSocket));
            Files.setPosixFilePermissions(privateSocket, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(socketPath, privateSocket);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("another daemon owns " + interfaceName + ": " + socketPath
                        + " appeared while binding", e);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            Files.deleteIfExists(privateSocket);
            Files.deleteIfExists(privateDir);
        }
    }

    /** One client: its channel, its session and the thread serving it. */
    private final class Connection {
        final SocketChannel channel;
        final UapiSession session;
        final Thread thread;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.session = new UapiSession(device, limits, channel, channel, interfaceName);
            this.thread = connectionThreads.newThread(() -> serve(this));
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "UAPI {0}: closing a connection failed: {1}", interfaceName, e.toString());
            }
        }
    }
}
