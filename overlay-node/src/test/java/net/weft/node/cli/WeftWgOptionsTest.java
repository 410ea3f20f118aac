package net.weft.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The environment knobs weft-wg reads at start-up, and the cipher warm-up it runs. */
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
    void warmupSealsAndOpensEveryPacketIntact() throws InterruptedException {
        assertThat(CryptoWarmup.run(100)).isZero();
        Thread t = CryptoWarmup.start();
        assertThat(t.isDaemon()).isTrue();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
    }
}
