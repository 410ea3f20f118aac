package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.A6;
import static net.weft.node.device.TwoDevices.B4;
import static net.weft.node.device.TwoDevices.B6;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.weft.node.conn.InMemoryNetwork;
import org.junit.jupiter.api.Test;

/** The optional parallel crypto: same results as inline, packets in order, no thread left behind. */
class CryptoWorkersTest {

    @Test
    void exchangesBothWaysWithParallelCrypto() throws Exception {
        try (TwoDevices t = new TwoDevices(InMemoryNetwork.manual(), 0, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND, 2)) {
            for (int i = 0; i < 20; i++) {
                byte[] v4 = IpPackets.ipv4(A4, B4, 10 + i * 70, i);
                assertThat(t.transfer(t.a, t.b, v4)).isEqualTo(v4);
                byte[] v6 = IpPackets.ipv6(B6, A6, 1 + i * 60, i);
                assertThat(t.transfer(t.b, t.a, v6)).isEqualTo(v6);
            }
            assertThat(t.a.device.counters().dropsTotal()).isZero();
            assertThat(t.b.device.counters().dropsTotal()).isZero();
        }
    }

    @Test
    void aBurstArrivesCompleteAndInOrder() throws Exception {
        try (TwoDevices t = new TwoDevices(new InMemoryNetwork(), 0, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND, 3)) {
            byte[] first = IpPackets.ipv4(A4, B4, 10, 0);
            assertThat(t.transfer(t.a, t.b, first)).isEqualTo(first);
            int count = 3000;
            for (int i = 1; i <= count; i++) {
                // sizes vary so that small packets would overtake large ones if order were lost
                t.a.inject(IpPackets.ipv4(A4, B4, i % 7 == 0 ? 1300 : 20, i));
            }
            ByteBuffer b = ByteBuffer.allocate(65535);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int i = 1; i <= count; i++) {
                while (t.b.tun.host().pending() == 0) {
                    assertThat(System.nanoTime() - deadline).as("packet %d of %d; A %s B %s", i, count,
                            t.a.device.counters(), t.b.device.counters()).isNegative();
                    Thread.sleep(1);
                }
                b.clear();
                int n = t.b.tun.host().read(b);
                byte[] expected = IpPackets.ipv4(A4, B4, i % 7 == 0 ? 1300 : 20, i);
                assertThat(n).as("length of packet %d", i).isEqualTo(expected.length);
                assertThat(java.util.Arrays.copyOf(b.array(), n)).as("packet %d", i).isEqualTo(expected);
            }
            assertThat(t.b.device.counters().dropsTotal()).isZero();
        }
    }

    @Test
    void closingStopsTheWorkers() throws Exception {
        Set<String> before = names();
        TwoDevices t = new TwoDevices(new InMemoryNetwork(), 100, DeviceOptions.DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND, 2);
        try {
            byte[] p = IpPackets.ipv4(A4, B4, 100, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            assertThat(names()).contains("weft-wga-crypto-0", "weft-wga-crypto-1");
        } finally {
            t.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!names().equals(before) && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertThat(names()).isEqualTo(before);
    }

    private static Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("weft-")) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
