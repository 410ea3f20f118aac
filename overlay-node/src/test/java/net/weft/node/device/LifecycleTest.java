package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.B4;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.weft.node.conn.InMemoryNetwork;
import org.junit.jupiter.api.Test;

/** Threads start and stop with the device; the TUN going away closes it. */
class LifecycleTest {

    private static Set<String> weftThreads() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("weft-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static void awaitThreads(Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!weftThreads().equals(expected)) {
            if (System.nanoTime() - deadline > 0) {
                assertThat(weftThreads()).as("threads alive after close").isEqualTo(expected);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aClosedDeviceLeavesNoThread() throws Exception {
        Set<String> before = weftThreads();
        TwoDevices t = new TwoDevices(new InMemoryNetwork(), 100, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND);
        try {
            for (int i = 0; i < 10; i++) {
                byte[] p = IpPackets.ipv4(A4, B4, 100, i);
                assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
                byte[] q = IpPackets.ipv4(B4, A4, 100, i);
                assertThat(t.transfer(t.b, t.a, q)).isEqualTo(q);
            }
            assertThat(weftThreads()).contains("weft-wga-tun-reader", "weft-wga-timers", "weft-wgb-tun-reader", "weft-wgb-timers");
        } finally {
            t.close();
        }
        assertThat(t.a.device.closed()).isDone();
        assertThat(t.b.device.closed()).isDone();
        awaitThreads(before);
    }

    @Test
    void theTunGoingAwayClosesTheDevice() throws Exception {
        Set<String> before = weftThreads();
        TwoDevices t = new TwoDevices(new InMemoryNetwork(), 100, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND);
        try {
            byte[] p = IpPackets.ipv4(A4, B4, 100, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            t.a.tun.host().close(); // ip link del
            t.a.device.closed().get(10, TimeUnit.SECONDS);
            assertThat(t.a.bind.port()).isZero();
            assertThat(t.b.device.closed()).isNotDone();
        } finally {
            t.close();
        }
        awaitThreads(before);
    }

    @Test
    void closeIsIdempotentAndApplyAfterCloseFails() throws Exception {
        TwoDevices t = new TwoDevices();
        t.close();
        t.a.device.close();
        assertThat(t.a.device.closed()).isDone();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.a.device.apply(TwoDevices.peersOnly()))
                .isInstanceOf(ConfigurationException.class);
    }
}
