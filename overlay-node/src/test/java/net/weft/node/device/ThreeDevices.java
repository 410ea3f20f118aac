package net.weft.node.device;

import java.security.SecureRandom;
import java.util.function.BooleanSupplier;
import net.weft.node.conn.InMemoryNetwork;
import net.weft.node.device.TwoDevices.Node;

/**
 * A relay between two peers that cannot reach each other, on an in-memory network:
 *
 * <pre>
 *   A 100.64.0.1 / fd00:64::1 ---- R 100.64.0.2 / fd00:64::2 ---- C 100.64.0.3 / fd00:64::3
 *   198.51.100.1:51820             198.51.100.2:51820             198.51.100.3:51820
 * </pre>
 *
 * A and C know only R: A's peer R owns R's and C's addresses, C's peer R owns R's and A's. R has
 * peers A and C with their own addresses. Forwarding at R starts off; no device has a timer
 * thread (the fake clock stands still). With a MANUAL network the test moves datagrams with
 * {@link #pump}.
 */
final class ThreeDevices implements AutoCloseable {

    static final String A4 = TwoDevices.A4;
    static final String R4 = "100.64.0.2";
    static final String C4 = "100.64.0.3";
    static final String A6 = TwoDevices.A6;
    static final String R6 = "fd00:64::2";
    static final String C6 = "fd00:64::3";

    final FakeClock clock = new FakeClock();
    final InMemoryNetwork network;
    final Node a;
    final Node r;
    final Node c;

    ThreeDevices(InMemoryNetwork network, int cryptoWorkers) throws Exception {
        this.network = network;
        DeviceOptions base = DeviceOptions.defaults().withClock(clock).withRandom(new SecureRandom()).withTimerTickMillis(0)
                .withCryptoWorkers(cryptoWorkers);
        a = TwoDevices.node(network, "wga", "198.51.100.1", base);
        r = TwoDevices.node(network, "wgr", "198.51.100.2", base);
        c = TwoDevices.node(network, "wgc", "198.51.100.3", base);
        a.device.apply(TwoDevices.update(a.key,
                TwoDevices.peer(r.publicKey(), r.endpoint, R4 + "/32", C4 + "/32", R6 + "/128", C6 + "/128")));
        c.device.apply(TwoDevices.update(c.key,
                TwoDevices.peer(r.publicKey(), r.endpoint, R4 + "/32", A4 + "/32", R6 + "/128", A6 + "/128")));
        r.device.apply(TwoDevices.update(r.key,
                TwoDevices.peer(a.publicKey(), a.endpoint, A4 + "/32", A6 + "/128"),
                TwoDevices.peer(c.publicKey(), c.endpoint, C4 + "/32", C6 + "/128")));
        a.device.start();
        r.device.start();
        c.device.start();
    }

    void pump(BooleanSupplier done) throws InterruptedException {
        TwoDevices.pump(network, done, this::state);
    }

    /** Injects {@code packet} into {@code from}'s TUN and waits until {@code to}'s TUN gets it; returns what arrived. */
    byte[] transfer(Node from, Node to, byte[] packet) throws Exception {
        return TwoDevices.transfer(network, from, to, packet, this::state);
    }

    void settle() throws InterruptedException {
        TwoDevices.settle(network);
    }

    String state() {
        return "A " + a.device.counters() + ", R " + r.device.counters() + ", C " + c.device.counters();
    }

    @Override
    public void close() {
        a.device.close();
        r.device.close();
        c.device.close();
    }
}
