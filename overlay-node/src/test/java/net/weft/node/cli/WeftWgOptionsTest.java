package net.weft.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

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
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        assertThat(PathWarmup.run(500)).isEqualTo(500);
        // the devices closed and joined their threads, and each bind stopped its event loop
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> !before.contains(t) && t.isAlive())
                .extracting(Thread::getName).noneMatch(n -> n.startsWith("weft-"));
    }

    @Test
    void warmupRunsOnADaemonThreadThatEnds() throws InterruptedException {
        Thread t = PathWarmup.start();
        assertThat(t.isDaemon()).isTrue();
        t.join(120_000);
        assertThat(t.isAlive()).isFalse();
    }
}
