package net.weft.node.device;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.key.PublicKey;
import net.weft.node.conn.InMemoryBind;
import net.weft.node.conn.InMemoryNetwork;
import net.weft.node.tun.TunPair;
import net.weft.topology.model.IpPrefix;

/**
 * Two devices, A and B, on an in-memory network with in-memory TUNs, configured as each other's
 * peer: A is 100.64.0.1 / fd00:64::1 at 198.51.100.1:51820, B is 100.64.0.2 / fd00:64::2 at
 * 198.51.100.2:51820. With a MANUAL network the test moves datagrams with {@link #pump}.
 */
final class TwoDevices implements AutoCloseable {

    static final String A4 = "100.64.0.1";
    static final String B4 = "100.64.0.2";
    static final String A6 = "fd00:64::1";
    static final String B6 = "fd00:64::2";
    static final Duration DEADLINE = Duration.ofSeconds(20);

    /** One side: its keys, TUN pair, bind and device. */
    static final class Node {
        final String name;
        PrivateKey key;
        final TunPair tun;
        final InMemoryBind bind;
        final InetSocketAddress endpoint;
        final Device device;

        Node(String name, PrivateKey key, TunPair tun, InMemoryBind bind, InetSocketAddress endpoint, Device device) {
            this.name = name;
            this.key = key;
            this.tun = tun;
            this.bind = bind;
            this.endpoint = endpoint;
            this.device = device;
        }

        PublicKey publicKey() {
            return key.publicKey();
        }

        /** Writes a packet into the TUN as the kernel would (the device reads and sends it). */
        void inject(byte[] packet) throws IOException {
            tun.host().write(ByteBuffer.wrap(packet));
        }

        /** Reads what the device wrote to its TUN, or null when nothing is waiting. */
        byte[] delivered() throws IOException {
            if (tun.host().pending() == 0) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(65535);
            int n = tun.host().read(b);
            return n < 0 ? null : Arrays.copyOf(b.array(), n);
        }

        PeerStatus peer(PublicKey key) {
            return device.status().peers().stream().filter(p -> p.publicKey().equals(key)).findFirst().orElseThrow();
        }
    }

    final FakeClock clock = new FakeClock();
    final InMemoryNetwork network;
    final Node a;
    final Node b;

    TwoDevices() throws Exception {
        this(InMemoryNetwork.manual(), 0, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND);
    }

    TwoDevices(InMemoryNetwork network, int timerTickMillis, int bUnderLoad) throws Exception {
        this(network, timerTickMillis, bUnderLoad, 0);
    }

    TwoDevices(InMemoryNetwork network, int timerTickMillis, int bUnderLoad, int cryptoWorkers) throws Exception {
        this.network = network;
        SecureRandom random = new SecureRandom();
        DeviceOptions base = DeviceOptions.defaults().withClock(clock).withRandom(random).withTimerTickMillis(timerTickMillis)
                .withCryptoWorkers(cryptoWorkers);
        a = node(network, "wga", "198.51.100.1", base);
        b = node(network, "wgb", "198.51.100.2", base.withUnderLoadHandshakesPerSecond(bUnderLoad));
        a.device.apply(update(a.key, peer(b.publicKey(), b.endpoint, B4 + "/32", B6 + "/128")));
        b.device.apply(update(b.key, peer(a.publicKey(), a.endpoint, A4 + "/32", A6 + "/128")));
        a.device.start();
        b.device.start();
    }

    /** A device {@code name} with a fresh key and a TUN of MTU 1420, bound on {@code address}:51820 of {@code network}. */
    static Node node(InMemoryNetwork network, String name, String address, DeviceOptions options) throws Exception {
        InetSocketAddress ep = new InetSocketAddress(InetAddress.getByName(address), 51820);
        InMemoryBind bind = network.bind(ep);
        TunPair tun = TunPair.create(name, 1420, 8 << 20);
        PrivateKey key = PrivateKey.generate(new SecureRandom());
        Device d = new Device(tun.device(), bind, options.withLoggerName("test." + name));
        return new Node(name, key, tun, bind, ep, d);
    }

    static DeviceUpdate update(PrivateKey key, PeerUpdate... peers) {
        return new DeviceUpdate(Optional.of(Optional.of(key)), OptionalInt.empty(), OptionalInt.empty(), false, List.of(peers));
    }

    static PeerUpdate peer(PublicKey key, InetSocketAddress endpoint, String... allowed) {
        List<IpPrefix> prefixes = new ArrayList<>();
        for (String s : allowed) {
            prefixes.add(IpPrefix.parse(s));
        }
        return new PeerUpdate(key, false, false, Optional.empty(), Optional.ofNullable(endpoint), OptionalInt.empty(), false, prefixes);
    }

    static PeerUpdate removePeer(PublicKey key) {
        return new PeerUpdate(key, true, false, Optional.empty(), Optional.empty(), OptionalInt.empty(), false, List.of());
    }

    static DeviceUpdate peersOnly(PeerUpdate... peers) {
        return new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, List.of(peers));
    }

    /**
     * Moves datagrams (MANUAL network) until {@code done} holds; fails after {@link #DEADLINE}. The
     * TUN reader threads work concurrently, so this polls.
     */
    void pump(BooleanSupplier done) throws InterruptedException {
        pump(network, done, () -> "A " + a.device.counters() + ", B " + b.device.counters());
    }

    /** {@link #pump(BooleanSupplier)} on any network; {@code state} describes the devices when the deadline passes. */
    static void pump(InMemoryNetwork network, BooleanSupplier done, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            if (network.delivery() == InMemoryNetwork.Delivery.MANUAL) {
                network.deliverPending();
            }
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not reached within " + DEADLINE + "; " + state.get());
            }
            Thread.sleep(1);
        }
    }

    /** Sends {@code packet} into {@code from}'s TUN and waits until {@code to}'s TUN gets it; returns what arrived. */
    byte[] transfer(Node from, Node to, byte[] packet) throws Exception {
        return transfer(network, from, to, packet, () -> "A " + a.device.counters() + ", B " + b.device.counters());
    }

    /** {@link #transfer(Node, Node, byte[])} on any network. */
    static byte[] transfer(InMemoryNetwork network, Node from, Node to, byte[] packet, Supplier<String> state) throws Exception {
        from.inject(packet);
        byte[][] got = new byte[1][];
        pump(network, () -> {
            try {
                got[0] = to.delivered();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return got[0] != null;
        }, state);
        return got[0];
    }

    /** Lets the network settle (MANUAL: deliver everything; the reader threads may still be busy for a moment). */
    void settle() throws InterruptedException {
        settle(network);
    }

    /** {@link #settle()} on any network. */
    static void settle(InMemoryNetwork network) throws InterruptedException {
        if (network.delivery() == InMemoryNetwork.Delivery.MANUAL) {
            for (int i = 0; i < 20; i++) {
                network.deliverPending();
                Thread.sleep(2);
            }
            network.deliverPending();
        } else {
            network.awaitIdle(DEADLINE);
        }
    }

    @Override
    public void close() {
        a.device.close();
        b.device.close();
    }
}
