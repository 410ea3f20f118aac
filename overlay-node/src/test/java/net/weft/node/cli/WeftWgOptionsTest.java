package net.weft.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import net.weft.node.host.Namespaces;
import org.junit.jupiter.api.Test;

/** The environment knobs weft-wg reads at start-up, and the packet path warm-up it runs. */
class WeftWgOptionsTest {

    @Test
    void cryptoWorkersDefaultToInlineAndRejectNonsense() {
        assertThat(WeftWg.cryptoWorkers(null)).isEqualTo(WeftWg.DEFAULT_CRYPTO_WORKERS);
        assertThat(WeftWg.cryptoWorkers(" ")).isEqualTo(WeftWg.DEFAULT_CRYPTO_WORKERS);
        assertThat(WeftWg.cryptoWorkers("2")).isEqualTo(2);
        assertThatThrownBy(() -> WeftWg.cryptoWorkers("two")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WeftWg.cryptoWorkers("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WeftWg.cryptoWorkers("65")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void warmupCarriesEveryPacketThroughTwoDevicesAndLeavesNoThreadBehind() throws Exception {
        // the warm-up runs in a network namespace of its own
        Namespaces.requireRoot("WeftWgOptionsTest.warmupCarriesEveryPacketThroughTwoDevicesAndLeavesNoThreadBehind");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        assertThat(PathWarmup.start(500).get(60, TimeUnit.SECONDS)).isEqualTo(500);
        // the devices closed and joined their threads, and each bind stopped its event loop
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!leftBehind(before).isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertThat(leftBehind(before)).isEmpty();
    }

    /** Threads of Weft's started since {@code before} and still alive. */
    private static List<String> leftBehind(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName).filter(n -> n.startsWith("weft-")).toList();
    }
}
