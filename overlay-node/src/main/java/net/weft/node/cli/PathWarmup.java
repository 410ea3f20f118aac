package net.weft.node.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.node.conn.NettyBind;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.Device;
import net.weft.node.device.DeviceOptions;
import net.weft.node.device.DeviceUpdate;
import net.weft.node.device.PeerUpdate;
import net.weft.node.tun.LinuxTun;
import net.weft.topology.model.IpPrefix;

/**
 * Gets the JIT to compile the whole packet path before real packets need it.
 *
 * <p>A fresh JVM runs the path interpreted, then through profiling tiers, and compiles it fully
 * only after some ten thousand packets, which an idle tunnel with a ping now and then is slow to
 * send. Measured on the two-namespace lab (labs/scripts/ping-cold.sh): without this, the sixth round
 * of 50 pings after start still averaged 1.3 ms, against 0.5 ms for wireguard-go.
 *
 * <p>So at start-up two throwaway devices, with throwaway keys, exchange IPv4 and IPv6 packets of a
 * ping's and of a full MTU's size, both ways, and drop a few that have no route. Each device has a {@link LinuxTun#socketPair} for a TUN (the same
 * class and system calls as an interface, but no interface) and a {@link NettyBind} as the real one:
 * every call site of the path sees the classes the real device uses, so what the JIT compiles
 * stays valid when real packets come. The handshake and the cipher get compiled on the way. The
 * warm-up runs in a network namespace of its own, where 127.0.0.1 is its alone: it takes no port
 * of the host's and nothing it sends leaves that namespace. A few seconds
 * of one core, once, on a background thread; it gives up after {@link #STALL_MILLIS} without
 * progress (no loopback, for instance) or {@link #DEADLINE_MILLIS} in all. Ending the warm-up
 * must not undo it: see {@link #PRIMING_ROUND_TRIPS}.
 */
final class PathWarmup {

    /** Round trips: enough for C2 to compile the path at its default thresholds. */
    static final int ROUND_TRIPS = 20_000;
    /**
     * A first short cycle, so that closing a device is in the profiles before the JIT compiles the
     * path: otherwise closing the warm-up devices hits branches the compiled code left out, and the
     * real device's path falls back to the interpreter just when it was ready. Long enough for the
     * methods to be profiling when it ends.
     */
    static final int PRIMING_ROUND_TRIPS = 2_000;
    /** Packets in flight when busy: keeps both devices busy without filling any queue. */
    private static final int WINDOW = 8;
    /** Round trips before switching between one packet in flight and {@link #WINDOW}. */
    private static final int BLOCK = 500;
    private static final int STALL_MILLIS = 2_000;
    private static final int DEADLINE_MILLIS = 60_000;
    private static final int MTU = 1420;
    private static final int SMALL = 84;
    private static final byte[] ADDRESS_A = {100, 64, 0, 1};
    private static final byte[] ADDRESS_B = {100, 64, 0, 2};
    /** Routed nowhere: the path's drop for an unknown destination gets compiled too. */
    private static final byte[] NOWHERE = {100, 64, 0, 3};
    private static final byte[] NOWHERE6 = IpPrefix.parseAddress("ff02::2");
    private static final byte[] ADDRESS_A6 = IpPrefix.parseAddress("fd00::a");
    private static final byte[] ADDRESS_B6 = IpPrefix.parseAddress("fd00::b");
    private static final System.Logger LOG = System.getLogger("weft.warmup");

    private PathWarmup() {
    }

    /** Starts the warm-up on a daemon thread; failures are logged at debug level. */
    static CompletableFuture<Integer> start() {
        CompletableFuture<Integer> done = start(ROUND_TRIPS);
        long start = System.nanoTime();
        done.whenComplete((n, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, "packet path warm-up failed", e);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "packet path warmed up: {0} round trips in {1} ms", n,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        });
        return done;
    }

    /**
     * Runs {@link #run} on a new daemon thread inside a network namespace of its own (see
     * {@link LinuxTun#enterPrivateNetwork}): the warm-up binds then cannot take a port that the
     * real device, or anything else on the host, is about to ask for. Without the privilege for
     * that, there is no warm-up: the future fails.
     */
    static CompletableFuture<Integer> start(int roundTrips) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread.ofPlatform().name("weft-warmup").daemon(true).priority(Thread.MIN_PRIORITY).start(() -> {
            try {
                LinuxTun.enterPrivateNetwork();
                done.complete(run(roundTrips));
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
                Thread.currentThread().interrupt();
            }
        });
        return done;
    }

    /**
     * Sends {@code roundTrips} packets from device a's TUN to device b's and back, and returns how
     * many came back: all of them, unless the path stalled or the deadline passed. Two pairs of
     * devices do it one after the other, the first for {@link #PRIMING_ROUND_TRIPS}.
     */
    private static int run(int roundTrips) throws IOException, InterruptedException {
        int primed = cycle(Math.min(PRIMING_ROUND_TRIPS, roundTrips));
        return primed + cycle(roundTrips - primed);
    }

    /** One pair of devices: started, {@code roundTrips} exchanged, closed. */
    private static int cycle(int roundTrips) throws IOException, InterruptedException {
        if (roundTrips <= 0) {
            return 0;
        }
        SecureRandom random = new SecureRandom();
        PrivateKey keyA = PrivateKey.generate(random);
        PrivateKey keyB = PrivateKey.generate(random);
        DeviceOptions options = DeviceOptions.defaults().withLoggerName(LOG.getName());
        try (LinuxTun.Pair tunA = LinuxTun.socketPair("warmup-a", MTU);
             LinuxTun.Pair tunB = LinuxTun.socketPair("warmup-b", MTU);
             Device a = new Device(tunA.device(), new NettyBind(), options);
             Device b = new Device(tunB.device(), new NettyBind(), options)) {
            int portA = startOnAnyPort(a, keyA);
            int portB = startOnAnyPort(b, keyB);
            a.apply(peer(keyB.publicKey(), portB, ADDRESS_B, ADDRESS_B6));
            b.apply(peer(keyA.publicKey(), portA, ADDRESS_A, ADDRESS_A6));
            return exchange(tunA.host(), tunB.host(), roundTrips);
        } catch (ConfigurationException e) {
            throw new IOException("warm-up devices refused their configuration: " + e.getMessage(), e);
        }
    }

    private static int startOnAnyPort(Device d, PrivateKey key) throws IOException, ConfigurationException {
        d.apply(new DeviceUpdate(Optional.of(Optional.of(key)), OptionalInt.of(0), OptionalInt.empty(), false, List.of()));
        d.start();
        return d.status().listenPort();
    }

    private static DeviceUpdate peer(PublicKey key, int port, byte[] address, byte[] address6) {
        InetSocketAddress endpoint = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        PeerUpdate p = new PeerUpdate(key, false, false, Optional.empty(), Optional.of(endpoint), OptionalInt.empty(),
                false, List.of(IpPrefix.host(address), IpPrefix.host(address6)));
        return new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, List.of(p));
    }

    /** The host sides: a writes requests, b answers each, a counts the answers. */
    private static int exchange(LinuxTun hostA, LinuxTun hostB, int roundTrips) throws IOException, InterruptedException {
        ByteBuffer out = ByteBuffer.allocateDirect(MTU);
        ByteBuffer in = ByteBuffer.allocateDirect(LinuxTun.MAX_PACKET);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        long lastProgress = System.nanoTime();
        int sent = 0;
        int answered = 0;
        while (answered < roundTrips) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // blocks of one packet at a time (an idle tunnel: every read wakes from poll) and of a
            // window's worth (a busy one: batches)
            int window = (sent / BLOCK) % 2 == 0 ? 1 : WINDOW;
            while (sent - answered < window && sent < roundTrips) {
                // IPv4 and IPv6, a ping's size and the MTU's, and now and then one routed nowhere
                int length = sent % 2 == 0 ? SMALL : MTU;
                if (sent % 4 == 3) {
                    hostA.write(packet6(out, ADDRESS_A6, ADDRESS_B6, length));
                } else {
                    hostA.write(packet(out, ADDRESS_A, ADDRESS_B, length));
                }
                if (sent % 64 == 0) {
                    hostA.write(packet(out, ADDRESS_A, NOWHERE, SMALL));
                    hostA.write(packet6(out, ADDRESS_A6, NOWHERE6, SMALL));
                }
                sent++;
            }
            boolean progress = false;
            int n = hostB.tryRead(in.clear());
            if (n > 0) {
                hostB.write((in.get(0) & 0xf0) == 0x60
                        ? packet6(out, ADDRESS_B6, ADDRESS_A6, n) : packet(out, ADDRESS_B, ADDRESS_A, n));
                progress = true;
            }
            if (n < 0) {
                break;
            }
            n = hostA.tryRead(in.clear());
            if (n > 0) {
                answered++;
                progress = true;
            }
            if (n < 0) {
                break;
            }
            long now = System.nanoTime();
            if (progress) {
                lastProgress = now;
            } else if (now - lastProgress > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS) || now - deadline > 0) {
                break;
            } else if (window > 1) {
                LockSupport.parkNanos(20_000);
            } else {
                Thread.onSpinWait();
            }
        }
        return answered;
    }

    /** An IPv4 header of {@code length} bytes in all, from {@code source} to {@code destination}, then zeros. */
    private static ByteBuffer packet(ByteBuffer b, byte[] source, byte[] destination, int length) {
        b.clear();
        for (int i = 0; i < length; i++) {
            b.put(i, (byte) 0);
        }
        b.put(0, (byte) 0x45);
        b.putShort(2, (short) length);
        b.put(8, (byte) 64);
        b.put(9, (byte) 17);
        b.put(12, source);
        b.put(16, destination);
        return b.limit(length);
    }

    /** An IPv6 header and {@code length - 40} zeros, from {@code source} to {@code destination}. */
    private static ByteBuffer packet6(ByteBuffer b, byte[] source, byte[] destination, int length) {
        b.clear();
        for (int i = 0; i < length; i++) {
            b.put(i, (byte) 0);
        }
        b.put(0, (byte) 0x60);
        b.putShort(4, (short) (length - 40));
        b.put(6, (byte) 17);
        b.put(7, (byte) 64);
        b.put(8, source);
        b.put(24, destination);
        return b.limit(length);
    }
}
