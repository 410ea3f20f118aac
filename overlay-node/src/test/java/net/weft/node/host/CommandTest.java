package net.weft.node.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Command} on the host, with harmless programs: output, input, failures, deadlines, files. */
class CommandTest {

    @Test
    void aFailedCommandIsAnIoExceptionWithTheCommandLineAndItsStandardError() {
        assertThatThrownBy(() -> Command.host().run("ip", "link", "show", "dev", "weft-nosuch0"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("`ip link show dev weft-nosuch0`")
                .hasMessageContaining("exit 1")
                .hasMessageContaining("weft-nosuch0\" does not exist");
    }

    @Test
    void aPrefixIsNamedInTheFailure() {
        assertThatThrownBy(() -> Command.inNamespace("weft-host-nosuch").run("true"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("(in ip netns exec weft-host-nosuch)");
    }

    @Test
    void largeInputAndOutputPassWithoutDeadlock() throws Exception {
        String big = "0123456789abcdef\n".repeat(200_000); // 3.4 MB, far beyond a pipe's 64 KiB
        String out = Command.host().run(big, List.of("cat"));
        assertThat(out).isEqualTo(big);
    }

    @Test
    void aCommandOverrunningItsDeadlineIsKilledAndReported() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Command.host().withTimeout(Duration.ofMillis(200)).run("sleep", "30"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no exit within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void execReturnsTheStatusWithoutThrowing() throws Exception {
        Command.Result r = Command.host().exec(null, List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void filesAreReadAndWrittenDirectlyOnTheHost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ip_forward");
        Files.writeString(file, "0\n");
        Command.host().writeFile(file, "1\n");
        assertThat(Command.host().readFile(file)).isEqualTo("1\n");
    }
}
