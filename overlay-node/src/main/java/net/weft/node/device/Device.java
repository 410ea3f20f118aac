package net.weft.node.device;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.weft.crypto.Clock;
import net.weft.crypto.cookie.CookieChecker;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.noise.LocalIdentity;
import net.weft.node.conn.Bind;
import net.weft.node.tun.Tun;
import net.weft.topology.model.IpPrefix;

/**
 * A userspace WireGuard device between a {@link Tun} and a {@link Bind}: peers, cryptokey routing,
 * handshakes, timers and the two packet paths (see {@link Send} and {@link Receive} for the flows).
 *
 * <p>Life cycle: construct, {@link #apply} configuration (before or after starting), {@link #start()},
 * and {@link #close()}. {@link #closed()} completes once the device closed for any reason, including
 * the TUN going away ({@code ip link del}). The bind opens when the device is started and has a
 * private key or a configured listen port; a device without a private key drops every packet.
 *
 * <p>Threads the device owns, named {@code weft-<ifname>-...}:
 * <ul>
 *   <li>{@code tun-reader}: reads the TUN, routes, encrypts and sends (inline, per-peer order kept);
 *   <li>{@code timers}: every {@link DeviceOptions#timerTickMillis()} runs {@link #runTimers()};
 *   <li>{@code crypto-N}: only with {@link DeviceOptions#cryptoWorkers()} above 0, seal and open in
 *       parallel for the reader and the receive thread ({@link CryptoWorkers}).
 * </ul>
 * The bind's own receive thread(s) run {@link Receive}: decrypt and write to the TUN (or, with
 * {@link #setForwarding forwarding} on, re-encrypt to another peer), and process handshakes. After a
 * batch that wrote to the TUN, the receive thread also reads and sends what the kernel answered at
 * once, when the reader is idle ({@code Send.readAfterWrite}).
 * {@link #close()} stops and joins the device's threads and closes the TUN and the bind.
 *
 * <p>Locks: {@link #configLock} guards the configuration (peers, allowed IPs, identity, port,
 * fwmark, life cycle) and serialises {@link #apply} and {@link #status()}; the packet paths never
 * take it and read copy-on-write snapshots instead ({@link #local}, {@link #peersByKey},
 * {@link #peerArray}, the allowed-IPs trie). Per-peer locks are described on {@link Peer}.
 * {@link #timersRunLock} serialises timer runs (the timer thread and tests).
 */
public final class Device implements Configurable, AutoCloseable {

    /** Our identity and the mac/cookie checker for its public key, replaced together. */
    record Local(LocalIdentity identity, CookieChecker cookieChecker) {
    }

    /** wireguard-go's MaxPeers. */
    static final int MAX_PEERS = 1 << 16;
    private static final int DEFAULT_MTU = 1420;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long JOIN_MILLIS = 5000;

    final Tun tun;
    final Bind bind;
    final DeviceOptions options;
    final Clock clock;
    final SecureRandom random;
    final DeviceCounters counters = new DeviceCounters();
    final IndexTable indexTable;
    final AllowedIps allowedIps = new AllowedIps();
    final Handshakes handshakes;
    final Send send;
    final Receive receive;
    /** Parallel crypto, or null when crypto runs inline (the default). */
    final CryptoWorkers workers;
    private final System.Logger logger;
    final String threadPrefix;

    /** Null while the device has no private key. */
    volatile Local local;
    /** The TUN's MTU, refreshed on every timer run; padding never goes past it, nor does a forwarded packet. */
    volatile int mtu = DEFAULT_MTU;
    /** Forwarding (relay role): read once per decrypted packet by {@link Receive}; set by anyone at any time. */
    volatile boolean forwarding;

    private final Object configLock = new Object();
    /** Peers in the order they were added; guarded by {@link #configLock}. */
    private final LinkedHashMap<PublicKey, Peer> peers = new LinkedHashMap<>();
    /** Guarded by {@link #configLock}. */
    private int listenPort;
    private boolean listenPortConfigured;
    private int fwmark;
    private boolean started;
    private Thread reader;
    private Thread timerThread;
    /** Snapshots for the packet paths, republished under {@link #configLock} after every change. */
    private volatile Map<PublicKey, Peer> peersByKey = Map.of();
    private volatile Peer[] peerArray = new Peer[0];

    private final Object timersRunLock = new Object();
    private volatile boolean closing;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    public Device(Tun tun, Bind bind, DeviceOptions options) {
        this.tun = tun;
        this.bind = bind;
        this.options = options;
        this.clock = options.clock();
        this.random = options.random();
        this.logger = System.getLogger(options.loggerName());
        this.threadPrefix = "weft-" + tun.name() + "-";
        this.indexTable = new IndexTable(random);
        this.handshakes = new Handshakes(this);
        this.send = new Send(this);
        this.receive = new Receive(this);
        this.workers = options.cryptoWorkers() > 0 ? new CryptoWorkers(this, options.cryptoWorkers()) : null;
        this.forwarding = options.forwarding();
    }

    // ---- life cycle -----------------------------------------------------------------------------

    /**
     * Starts the TUN reader and the timer thread, and opens the bind when the configuration asks
     * for it (a private key or a listen port).
     *
     * @throws IOException when the bind cannot be opened (the device is then not started)
     * @throws IllegalStateException when already started or closed
     */
    public void start() throws IOException {
        synchronized (configLock) {
            if (closing) {
                throw new IllegalStateException("device is closed");
            }
            if (started) {
                throw new IllegalStateException("device already started");
            }
            refreshMtu();
            if (local != null || listenPortConfigured) {
                listenPort = bind.open(listenPort, receive);
            }
            started = true;
            if (workers != null) {
                workers.start();
            }
            reader = Thread.ofPlatform().name(threadPrefix + "tun-reader").daemon(true).unstarted(send::runReader);
            reader.start();
            if (options.timerTickMillis() > 0) {
                timerThread = Thread.ofPlatform().name(threadPrefix + "timers").daemon(true).unstarted(this::runTimerThread);
                timerThread.start();
            }
        }
    }

    /**
     * Stops the device: its threads are joined, the TUN and the bind closed, every key erased.
     * Idempotent; a second caller waits until the first finished.
     */
    @Override
    public void close() {
        boolean first;
        synchronized (configLock) {
            first = !closing;
            closing = true;
        }
        Thread self = Thread.currentThread();
        if (!first) {
            if (self != reader && self != timerThread) {
                closed.join();
            }
            return;
        }
        try {
            Thread t = timerThread;
            if (t != null && t != self) {
                t.interrupt();
                join(t);
            }
            try {
                tun.close();
            } catch (IOException e) {
                log(System.Logger.Level.WARNING, "closing the TUN failed", e);
            }
            Thread r = reader;
            if (r != null && r != self) {
                join(r);
            }
            bind.close();
            if (workers != null) {
                workers.stop(JOIN_MILLIS);
            }
            synchronized (configLock) {
                for (Peer p : peers.values()) {
                    wipe(p);
                }
            }
        } finally {
            closed.complete(null);
        }
    }

    private void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log(System.Logger.Level.ERROR, "thread " + t.getName() + " did not stop within " + JOIN_MILLIS + " ms", null);
        }
    }

    /** Completes once the device has closed, for whatever reason (close(), the TUN deleted, a fatal error). */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    boolean isClosing() {
        return closing;
    }

    /** The TUN reader ended: when the device is not closing already, the TUN is gone and so is the device. */
    void readerStopped() {
        if (!closing) {
            log(System.Logger.Level.INFO, "TUN " + tun.name() + " is gone; closing the device", null);
            close();
        }
    }

    private void runTimerThread() {
        long tick = TimeUnit.MILLISECONDS.toNanos(options.timerTickMillis());
        while (!closing) {
            LockSupport.parkNanos(tick);
            if (closing || Thread.interrupted()) {
                break;
            }
            try {
                runTimers();
            } catch (RuntimeException e) {
                internalError(e);
            }
        }
    }

    // ---- timers ---------------------------------------------------------------------------------

    /**
     * Runs every peer timer whose deadline passed on the device's {@link Clock}, refreshes the
     * MTU and sweeps the handshake rate limiter. The timer thread calls this every tick; tests
     * with a fake clock (and {@code timerTickMillis} 0) call it after advancing the clock.
     */
    public void runTimers() {
        synchronized (timersRunLock) {
            if (closing) {
                return;
            }
            refreshMtu();
            long now = clock.nanoTime();
            for (Peer p : peerArray) {
                if (p.removed) {
                    continue;
                }
                int due = p.timers.takeExpired(now);
                if (due != 0) {
                    try {
                        expire(p, due, now);
                    } catch (RuntimeException e) {
                        internalError(e);
                    }
                }
            }
            handshakes.rateLimiter().sweep(now);
        }
    }

    private void expire(Peer p, int due, long now) {
        // erasing first: the other timers that fired in the same tick then act on a clean peer
        if ((due & Timers.ZERO_KEY_MATERIAL) != 0) {
            wipe(p);
        }
        if ((due & Timers.RETRANSMIT_HANDSHAKE) != 0) {
            if (p.timers.retryHandshake()) {
                handshakes.sendInitiation(p, true);
            } else {
                p.timers.gaveUp(now);
                counters.drop(DropReason.STAGED_EXPIRED, p.flushStaged());
                counters.handshake(DeviceCounters.Handshake.GAVE_UP);
            }
        }
        if ((due & Timers.SEND_KEEPALIVE) != 0) {
            send.sendKeepalive(p);
            p.timers.keepaliveSent(now);
        }
        if ((due & Timers.NEW_HANDSHAKE) != 0) {
            handshakes.sendInitiation(p, false);
        }
        if ((due & Timers.PERSISTENT_KEEPALIVE) != 0 && p.timers.persistentKeepaliveSeconds() > 0) {
            send.sendKeepalive(p);
        }
    }

    private void refreshMtu() {
        try {
            int m = tun.mtu();
            if (m > 0) {
                mtu = m;
            }
        } catch (IOException | RuntimeException e) {
            // keep the last known MTU; the TUN may be going away
        }
    }

    // ---- configuration --------------------------------------------------------------------------

    @Override
    public void apply(DeviceUpdate update) throws ConfigurationException {
        validate(update);
        synchronized (configLock) {
            if (closing) {
                throw new ConfigurationException(ConfigurationException.EIO, "device is closed");
            }
            checkPeerLimit(update);

            // 1. the identity, computed but not yet installed
            Local newLocal = local;
            boolean identityChanged = false;
            if (update.privateKey().isPresent()) {
                PrivateKey k = update.privateKey().get().orElse(null);
                if (k == null || k.isZero()) {
                    identityChanged = local != null;
                    newLocal = null;
                } else if (local == null || !local.identity().privateKey().equals(k)) {
                    LocalIdentity id = LocalIdentity.of(k);
                    newLocal = new Local(id, new CookieChecker(id.publicKey(), clock, random));
                    identityChanged = true;
                }
            }

            // 2. the socket: everything that can fail happens before anything changes
            int oldFwmark = fwmark;
            boolean fwmarkChanged = update.fwmark().isPresent() && update.fwmark().getAsInt() != fwmark;
            if (fwmarkChanged) {
                try {
                    bind.fwmark(update.fwmark().getAsInt());
                } catch (IOException e) {
                    throw new ConfigurationException(ConfigurationException.EIO, "cannot set fwmark: " + e.getMessage(), e);
                }
            }
            boolean portChanged = update.listenPort().isPresent() && update.listenPort().getAsInt() != listenPort;
            int desiredPort = update.listenPort().orElse(listenPort);
            int boundPort = bind.port();
            boolean wantSocket = newLocal != null || listenPortConfigured || update.listenPort().isPresent();
            boolean open = started && wantSocket && (boundPort == 0 || portChanged);
            int actualPort = boundPort != 0 ? boundPort : desiredPort;
            if (open) {
                try {
                    actualPort = bind.open(desiredPort, receive);
                } catch (IOException e) {
                    restoreSocket(boundPort, fwmarkChanged, oldFwmark);
                    int errno = e instanceof BindException ? ConfigurationException.EADDRINUSE : ConfigurationException.EIO;
                    throw new ConfigurationException(errno, "cannot listen on port " + desiredPort + ": " + e.getMessage(), e);
                }
            } else if (!started) {
                actualPort = desiredPort;
            }

            // 3. commit: nothing below fails
            fwmark = update.fwmark().orElse(fwmark);
            listenPort = actualPort;
            listenPortConfigured |= update.listenPort().isPresent();
            if (identityChanged) {
                installIdentity(newLocal);
            }
            List<Peer> keepaliveNow = applyPeers(update);
            allowedIps.publish();
            publishPeers();
            if (started) {
                for (Peer p : keepaliveNow) {
                    send.sendKeepalive(p);
                }
            }
        }
    }

    private void restoreSocket(int boundPort, boolean fwmarkChanged, int oldFwmark) {
        if (fwmarkChanged) {
            try {
                bind.fwmark(oldFwmark);
            } catch (IOException e) {
                log(System.Logger.Level.WARNING, "cannot restore fwmark", e);
            }
        }
        if (boundPort != 0 && bind.port() == 0) {
            try {
                bind.open(boundPort, receive);
            } catch (IOException e) {
                log(System.Logger.Level.ERROR, "cannot reopen the previous port " + boundPort, e);
            }
        }
    }

    private static void validate(DeviceUpdate u) throws ConfigurationException {
        if (u.listenPort().isPresent() && (u.listenPort().getAsInt() < 0 || u.listenPort().getAsInt() > 65535)) {
            throw new ConfigurationException(ConfigurationException.EINVAL, "listen port out of range: " + u.listenPort().getAsInt());
        }
        for (PeerUpdate p : u.peers()) {
            if (p.publicKey() == null) {
                throw new ConfigurationException(ConfigurationException.EINVAL, "peer without a public key");
            }
            if (p.persistentKeepalive().isPresent()
                    && (p.persistentKeepalive().getAsInt() < 0 || p.persistentKeepalive().getAsInt() > 65535)) {
                throw new ConfigurationException(ConfigurationException.EINVAL,
                        "persistent keepalive out of range: " + p.persistentKeepalive().getAsInt());
            }
            if (p.endpoint().isPresent()) {
                InetSocketAddress ep = p.endpoint().get();
                if (ep.isUnresolved() || ep.getPort() == 0) {
                    throw new ConfigurationException(ConfigurationException.EINVAL, "endpoint needs an address and a port: " + ep);
                }
            }
            for (IpPrefix prefix : p.allowedIps()) {
                if (prefix == null) {
                    throw new ConfigurationException(ConfigurationException.EINVAL, "null allowed IP");
                }
            }
        }
    }

    private void checkPeerLimit(DeviceUpdate u) throws ConfigurationException {
        Set<PublicKey> after = new HashSet<>();
        if (!u.replacePeers()) {
            after.addAll(peers.keySet());
        }
        for (PeerUpdate p : u.peers()) {
            if (p.remove()) {
                after.remove(p.publicKey());
            } else if (!p.updateOnly() || peers.containsKey(p.publicKey())) {
                after.add(p.publicKey());
            }
        }
        if (after.size() > MAX_PEERS) {
            throw new ConfigurationException(ConfigurationException.EINVAL, "more than " + MAX_PEERS + " peers");
        }
    }

    /**
     * A new private key (or none): every handshake and session is dropped, handshakes are rebuilt
     * for the new identity, and a peer whose public key is now our own is removed. Config lock held.
     */
    private void installIdentity(Local newLocal) {
        if (newLocal != null) {
            Peer self = peers.get(newLocal.identity().publicKey());
            if (self != null) {
                removePeer(self);
            }
        }
        LocalIdentity identity = newLocal == null ? null : newLocal.identity();
        for (Peer p : peers.values()) {
            p.handshakeLock.lock();
            try {
                handshakes.releaseHandshakeIndex(p);
                p.rekeyIdentity(identity, clock, random);
            } finally {
                p.handshakeLock.unlock();
            }
            for (Session s : p.keypairs.clear()) {
                erase(s);
            }
        }
        local = newLocal;
    }

    /** Applies the peer part of an update; returns peers whose persistent keepalive was just turned on. */
    private List<Peer> applyPeers(DeviceUpdate u) {
        List<Peer> keepaliveNow = new ArrayList<>();
        if (u.replacePeers()) {
            Set<PublicKey> named = new HashSet<>();
            for (PeerUpdate p : u.peers()) {
                named.add(p.publicKey());
            }
            for (Peer p : new ArrayList<>(peers.values())) {
                if (!named.contains(p.publicKey)) {
                    removePeer(p);
                }
            }
        }
        Local l = local;
        for (PeerUpdate pu : u.peers()) {
            Peer p = peers.get(pu.publicKey());
            if (pu.remove()) {
                if (p != null) {
                    removePeer(p);
                }
                continue;
            }
            if (p == null) {
                if (pu.updateOnly() || (l != null && l.identity().publicKey().equals(pu.publicKey()))) {
                    // wireguard-go ignores a peer that is ourselves
                    continue;
                }
                p = new Peer(pu.publicKey(), l == null ? null : l.identity(), clock, random, options.stagedPacketsPerPeer());
                peers.put(p.publicKey, p);
            }
            if (pu.presharedKey().isPresent()) {
                PresharedKey psk = pu.presharedKey().get().orElse(PresharedKey.none());
                p.handshakeLock.lock();
                try {
                    p.presharedKey = psk;
                    if (p.handshake != null) {
                        p.handshake.presharedKey(psk);
                    }
                } finally {
                    p.handshakeLock.unlock();
                }
            }
            if (pu.endpoint().isPresent()) {
                p.endpoint = pu.endpoint().get();
            }
            if (pu.replaceAllowedIps()) {
                allowedIps.removeAll(p);
            }
            for (IpPrefix prefix : pu.allowedIps()) {
                allowedIps.add(p, prefix);
            }
            if (pu.persistentKeepalive().isPresent()) {
                int seconds = pu.persistentKeepalive().getAsInt();
                int old = p.timers.persistentKeepaliveSeconds();
                p.timers.persistentKeepalive(seconds);
                if (old == 0 && seconds > 0) {
                    keepaliveNow.add(p);
                }
            }
        }
        return keepaliveNow;
    }

    /** Config lock held. */
    private void removePeer(Peer p) {
        p.removed = true;
        peers.remove(p.publicKey);
        allowedIps.removeAll(p);
        wipe(p);
    }

    /** Erases a peer's handshake and sessions and drops its staged packets (wireguard-go's ZeroAndFlushAll). */
    private void wipe(Peer p) {
        p.handshakeLock.lock();
        try {
            handshakes.releaseHandshakeIndex(p);
            if (p.handshake != null) {
                p.handshake.clear();
            }
        } finally {
            p.handshakeLock.unlock();
        }
        for (Session s : p.keypairs.clear()) {
            erase(s);
        }
        if (p.removed || closing) {
            p.timers.stop();
        }
        counters.drop(DropReason.STAGED_EXPIRED, p.flushStaged());
    }

    /** Frees a session's index and zeroes its keys once no thread uses them any more. */
    void erase(Session s) {
        indexTable.remove(s.localIndex());
        s.retire();
    }

    private void publishPeers() {
        peersByKey = Map.copyOf(peers);
        peerArray = peers.values().toArray(new Peer[0]);
    }

    /** The peer with {@code key}, from the packet paths' snapshot. */
    Peer peer(PublicKey key) {
        return peersByKey.get(key);
    }

    @Override
    public DeviceStatus status() {
        synchronized (configLock) {
            List<PeerStatus> list = new ArrayList<>(peers.size());
            for (Peer p : peers.values()) {
                PresharedKey psk = p.presharedKey;
                list.add(new PeerStatus(p.publicKey, psk == null || psk.isZero() ? Optional.empty() : Optional.of(psk),
                        Optional.ofNullable(p.endpoint), p.lastHandshakeEpochNanos, p.rxBytes.get(), p.txBytes.get(),
                        p.timers.persistentKeepaliveSeconds(), List.copyOf(p.allowedIps)));
            }
            Local l = local;
            int port = bind.port();
            return new DeviceStatus(l == null ? Optional.empty() : Optional.of(l.identity().privateKey()),
                    port != 0 ? port : listenPort, fwmark, list);
        }
    }

    /**
     * Turns forwarding on or off, at any time, also while packets flow (the node agent follows its
     * network map's relay role). With forwarding on, a decrypted packet whose destination belongs to
     * another peer is re-encrypted to that peer in userspace, never written to the TUN; one whose
     * destination routes back to its sender is dropped ({@link DropReason#FORWARD_LOOP}). A
     * destination no peer owns goes to the TUN either way. Packets already being processed finish
     * under the setting they started with. UAPI has no key for it, like wireguard-go.
     */
    public void setForwarding(boolean on) {
        forwarding = on;
    }

    /** Whether forwarding is on (see {@link #setForwarding}). */
    public boolean forwarding() {
        return forwarding;
    }

    /**
     * Sends a keepalive to up to {@code limit} peers that have an endpoint; without a session that starts a
     * handshake. A node that restarts with its key announces itself this way, so peers drop the sessions of
     * its previous run at once instead of after their keepalive and rekey timeouts (15 s). Returns how many
     * peers were greeted. Does nothing before {@link #start()}.
     */
    public int greetPeers(int limit) {
        if (!started) {
            return 0;
        }
        int n = 0;
        for (Peer p : peersByKey.values()) {
            if (n >= limit) {
                break;
            }
            if (p.endpoint != null) {
                send.sendKeepalive(p);
                n++;
            }
        }
        return n;
    }

    /** Drops by reason, handshake events and forwarded packets, for metrics. */
    public DeviceCounters counters() {
        return counters;
    }

    /** The interface name. */
    public String name() {
        return tun.name();
    }

    /** Our public key, when a private key is set. */
    public Optional<PublicKey> publicKey() {
        Local l = local;
        return l == null ? Optional.empty() : Optional.of(l.identity().publicKey());
    }

    // ---- logging --------------------------------------------------------------------------------

    void log(System.Logger.Level level, String message, Throwable t) {
        if (t == null) {
            logger.log(level, message);
        } else {
            logger.log(level, message, t);
        }
    }

    /** Logs at most once a second (packet paths must not flood the log). */
    void logRateLimited(String message, Throwable t) {
        long now = System.nanoTime();
        long last = lastLogNanos;
        if (now - last >= LOG_INTERVAL_NANOS) {
            lastLogNanos = now;
            log(System.Logger.Level.WARNING, message, t);
        }
    }

    /** An unexpected exception on a packet path: counted, logged at most once a second, never rethrown. */
    void internalError(RuntimeException e) {
        counters.drop(DropReason.INTERNAL_ERROR);
        logRateLimited("dropped a packet on an unexpected error", e);
    }

    // ---- for tests in this package --------------------------------------------------------------

    /** The session a peer currently sends with, or null. */
    Session currentSession(PublicKey peer) {
        Peer p = peersByKey.get(peer);
        return p == null ? null : p.keypairs.current();
    }

    Peer peerForTest(PublicKey key) {
        return peersByKey.get(key);
    }
}
