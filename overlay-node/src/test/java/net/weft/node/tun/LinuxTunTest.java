package net.weft.node.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LinuxTun} against the kernel, inside a network namespace this test creates
 * ({@code weft-tun-<pid>}): ping through the TUN with the test answering, MTU changes, large
 * packets, close and {@code ip link del} ending a blocked read, threads and allocation. Needs root.
 *
 * <pre>
 *   namespace weft-tun-PID                         this JVM
 *   ping 100.64.7.2 / fd00:64::2
 *      |
 *   wtN (100.64.7.1/24, fd00:64::1/64)  ==fd==>  LinuxTun.read / write (answers the echo)
 * </pre>
 */
class LinuxTunTest {

    private static final String NAMESPACE = "weft-tun-" + ProcessHandle.current().pid();
    private static final Path NAMESPACE_PATH = Path.of("/var/run/netns", NAMESPACE);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration PACKET_TIMEOUT = Duration.ofSeconds(10);

    private static final int PROTO_ICMP = 1;
    private static final int PROTO_ICMPV6 = 58;

    private static boolean namespaceCreated;
    /** Closes a TUN whose read overran its deadline, so that a test fails instead of hanging. */
    private static ScheduledThreadPoolExecutor watchdog;
    private static final List<Process> processes = new ArrayList<>();

    private LinuxTun tun;

    @BeforeAll
    static void createNamespace() throws Exception {
        if (!isRoot()) {
            if ("1".equals(System.getenv("WEFT_SKIP_ROOT_TESTS"))) {
                System.err.println("LinuxTunTest SKIPPED: needs root (WEFT_SKIP_ROOT_TESTS=1)");
                Assumptions.abort("LinuxTunTest needs root to create TUN interfaces and namespaces; skipped because WEFT_SKIP_ROOT_TESTS=1");
            }
            fail("LinuxTunTest needs root (TUN interfaces, network namespaces); run as root or set WEFT_SKIP_ROOT_TESTS=1 to skip");
        }
        run("ip", "netns", "add", NAMESPACE);
        namespaceCreated = true;
        run("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
        watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "weft-tun-test-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        watchdog.prestartAllCoreThreads();
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        synchronized (processes) {
            processes.forEach(Process::destroyForcibly);
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        if (namespaceCreated) {
            run("ip", "netns", "del", NAMESPACE);
        }
    }

    @AfterEach
    void closeTun() {
        if (tun != null) {
            tun.close();
        }
    }

    @Test
    void createsTheInterfaceInsideTheNamespaceWithTheNameTheKernelChose() throws Exception {
        tun = LinuxTun.create("wt%d", NAMESPACE_PATH);

        assertThat(tun.name()).matches("wt\\d+");
        assertThat(run("ip", "-n", NAMESPACE, "-o", "link", "show", tun.name())).contains(tun.name() + ":");
        assertThat(exitCode("ip", "link", "show", tun.name()))
                .as("the interface is not in the test's own namespace").isNotZero();
        assertThat(tun.mtu()).isEqualTo(1500);
    }

    @Test
    void createsInTheCallersNamespace() throws Exception {
        // a thread of this test joins the namespace, so that nothing is made in the host's
        CompletableFuture<String> made = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("weft-tun-test-in-namespace").start(() -> {
            try {
                LinuxTun.joinNamespace(NAMESPACE_PATH.toString());
                tun = LinuxTun.create("wt%d");
                made.complete(tun.name());
            } catch (Throwable t) {
                made.completeExceptionally(t);
            }
        });
        String name = made.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        thread.join(COMMAND_TIMEOUT);

        assertThat(run("ip", "-n", NAMESPACE, "-o", "link", "show", name)).contains(name + ":");
        assertThat(tun.mtu()).isEqualTo(1500);
    }

    @Test
    void refusesAMissingNamespaceWithItsPath() {
        Path missing = Path.of("/var/run/netns", NAMESPACE + "-missing");
        assertThatThrownBy(() -> LinuxTun.create("wt%d", missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("No such file or directory");
        assertThatThrownBy(() -> LinuxTun.create("a-name-much-too-long", NAMESPACE_PATH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "direct buffers: {0}")
    @ValueSource(booleans = {true, false})
    void answersAnIpv4Ping(boolean direct) throws Exception {
        tun = upWithAddresses();
        Process ping = start("ip", "netns", "exec", NAMESPACE, "ping", "-n", "-c1", "-W5", "100.64.7.2");

        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(Tun.MAX_PACKET) : ByteBuffer.allocate(Tun.MAX_PACKET);
        ByteBuffer request = readUntil(buffer, Packets::isIcmpEchoRequest4);
        assertThat(Packets.destination4(request)).isEqualTo("100.64.7.2");
        assertThat(Packets.source4(request)).isEqualTo("100.64.7.1");

        ByteBuffer reply = Packets.echoReply4(request);
        assertThat(reply.isDirect()).isEqualTo(direct);
        tun.write(reply);
        assertThat(reply.hasRemaining()).isFalse();

        assertExitsZero(ping);
    }

    @Test
    void answersAnIpv6Ping() throws Exception {
        tun = upWithAddresses();
        Process ping = start("ip", "netns", "exec", NAMESPACE, "ping", "-6", "-n", "-c1", "-W5", "fd00:64::2");

        ByteBuffer request = readUntil(ByteBuffer.allocateDirect(Tun.MAX_PACKET), Packets::isIcmpEchoRequest6);
        assertThat(Packets.destination6(request)).isEqualTo("fd00:64:0:0:0:0:0:2");
        assertThat(Packets.source6(request)).isEqualTo("fd00:64:0:0:0:0:0:1");

        tun.write(Packets.echoReply6(request));
        assertExitsZero(ping);
    }

    @Test
    void mtuFollowsIpLinkSet() throws Exception {
        tun = LinuxTun.create("wt%d", NAMESPACE_PATH);
        assertThat(tun.mtu()).isEqualTo(1500);

        for (int mtu : new int[] {9000, 1280, 65535, 1420}) {
            run("ip", "-n", NAMESPACE, "link", "set", tun.name(), "mtu", Integer.toString(mtu));
            assertThat(tun.mtu()).isEqualTo(mtu);
        }
    }

    @ParameterizedTest(name = "MTU {0}, {1}-byte ping")
    @org.junit.jupiter.params.provider.CsvSource({"9000, 8000", "65535, 65000"})
    void readsAndWritesPacketsLargerThan1500Whole(int mtu, int payload) throws Exception {
        tun = upWithAddresses();
        run("ip", "-n", NAMESPACE, "link", "set", tun.name(), "mtu", Integer.toString(mtu));
        Process ping = start("ip", "netns", "exec", NAMESPACE,
                "ping", "-n", "-c1", "-W5", "-M", "do", "-s", Integer.toString(payload), "100.64.7.2");

        ByteBuffer request = readUntil(ByteBuffer.allocateDirect(Tun.MAX_PACKET), Packets::isIcmpEchoRequest4);
        assertThat(request.remaining()).isEqualTo(payload + 28);
        assertThat(LinuxTun.declaredLength(request, request.position(), request.remaining())).isEqualTo(payload + 28);

        tun.write(Packets.echoReply4(request));
        assertExitsZero(ping);
        assertThat(tun.truncatedPackets()).isZero();
    }

    @Test
    void dropsAndCountsAPacketTooLargeForTheBufferInsteadOfCuttingIt() throws Exception {
        tun = upWithAddresses();
        run("ip", "-n", NAMESPACE, "link", "set", tun.name(), "mtu", "9000");
        Process big = start("ip", "netns", "exec", NAMESPACE, "ping", "-n", "-c1", "-W1", "-s", "3000", "100.64.7.2");
        assertThat(big.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Process small = start("ip", "netns", "exec", NAMESPACE, "ping", "-n", "-c1", "-W5", "-s", "100", "100.64.7.2");

        // the 3028-byte request does not fit 1500 bytes: it is skipped, the 128-byte one comes whole
        ByteBuffer request = readUntil(ByteBuffer.allocateDirect(1500), Packets::isIcmpEchoRequest4);
        assertThat(request.remaining()).isEqualTo(128);
        assertThat(tun.truncatedPackets()).isEqualTo(1);

        tun.write(Packets.echoReply4(request));
        assertExitsZero(small);
    }

    @Test
    void closeEndsABlockedReadAtOnce() throws Exception {
        tun = LinuxTun.create("wt%d", NAMESPACE_PATH); // down: no packet ever arrives
        BlockedReader reader = BlockedReader.start(tun);

        long closedAt = System.nanoTime();
        tun.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - closedAt);
        assertThat(reader.result.get(1, TimeUnit.SECONDS)).isEqualTo(-1);
        Duration took = Duration.ofNanos(reader.returnedAt.get() - closedAt);
        System.out.println("LinuxTun: a blocked read returned -1 " + took.toNanos() / 1000
                + " us after close began; close took " + closing.toNanos() / 1000 + " us (the kernel removing the interface)");
        assertThat(took).isLessThan(Duration.ofSeconds(1));

        assertThat(tun.read(ByteBuffer.allocateDirect(Tun.MAX_PACKET))).isEqualTo(-1);
        assertThatThrownBy(() -> tun.write(ByteBuffer.wrap(new byte[20]))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(tun::mtu).isInstanceOf(ClosedChannelException.class);
        tun.close();
        assertThat(exitCode("ip", "-n", NAMESPACE, "link", "show", tun.name()))
                .as("closing the fd removes the interface").isNotZero();
    }

    @Test
    void deletingTheInterfaceEndsABlockedRead() throws Exception {
        tun = upWithAddresses();
        // a reader that skips whatever the kernel sends (IPv6 router solicitations) until -1
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().name("weft-tun-test-reader").start(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(Tun.MAX_PACKET);
            try {
                int n;
                do {
                    n = tun.read(buffer.clear());
                } while (n >= 0);
                result.complete(n);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        BlockedReader.awaitPolling(reader);

        long deletedAt = System.nanoTime();
        run("ip", "-n", NAMESPACE, "link", "del", tun.name());
        assertThat(result.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
        Duration took = Duration.ofNanos(System.nanoTime() - deletedAt);
        System.out.println("LinuxTun: ip link del (command included) ended a blocked read in " + took.toMillis() + " ms");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        reader.join(Duration.ofSeconds(1));
        assertThat(reader.isAlive()).isFalse();

        assertThatThrownBy(() -> tun.write(Packets.echoReply4(Packets.echoRequest4())))
                .isInstanceOf(IOException.class).hasMessageContaining("errno 77");
    }

    @Test
    void leavesNoThreadBehind() throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());

        for (int i = 0; i < 5; i++) {
            LinuxTun t = LinuxTun.create("wt%d", NAMESPACE_PATH);
            BlockedReader reader = BlockedReader.start(t);
            t.close();
            assertThat(reader.result.get(1, TimeUnit.SECONDS)).isEqualTo(-1);
            reader.thread.join(Duration.ofSeconds(1));
        }
        Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
        after.removeAll(before);
        after.removeIf(t -> !t.isAlive());
        assertThat(after).as("threads started while TUNs were made, read and closed").isEmpty();
    }

    /**
     * Writes echo requests addressed to the namespace's own address and reads the kernel's echo
     * replies: both directions, one packet each per round, deterministic. Once the JIT has compiled
     * the path (a warm-up, then the best of up to three windows, since compilation runs in the
     * background), the thread must allocate next to nothing per packet.
     */
    @ParameterizedTest(name = "direct buffers: {0}")
    @ValueSource(booleans = {true, false})
    void readAndWriteAllocateNothingPerPacket(boolean direct) throws Exception {
        tun = upWithAddresses();
        ByteBuffer template = Packets.echoRequest4();
        ByteBuffer request = direct ? ByteBuffer.allocateDirect(template.remaining()) : ByteBuffer.allocate(template.remaining());
        request.put(template).flip();
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(Tun.MAX_PACKET) : ByteBuffer.allocate(Tun.MAX_PACKET);

        pingPong(request, buffer, 20_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int rounds = 10_000;
        double best = Double.MAX_VALUE;
        for (int window = 0; window < 3 && best >= 16.0; window++) {
            long start = threads.getCurrentThreadAllocatedBytes();
            int reads = pingPong(request, buffer, rounds);
            long allocated = threads.getCurrentThreadAllocatedBytes() - start;
            double perPacket = (double) allocated / (rounds + reads);
            System.out.printf("LinuxTun (%s): %d writes + %d reads allocated %d bytes (%.3f per packet)%n",
                    direct ? "direct" : "heap", rounds, reads, allocated, perPacket);
            best = Math.min(best, perPacket);
        }
        assertThat(best).as("bytes allocated per packet").isLessThan(16.0);
    }

    /** Writes {@code rounds} echo requests, reading each reply; returns how many reads it took. */
    private int pingPong(ByteBuffer request, ByteBuffer buffer, int rounds) throws IOException {
        ScheduledFuture<?> guard = watchdog.schedule(tun::close, 60, TimeUnit.SECONDS);
        int reads = 0;
        try {
            for (int i = 0; i < rounds; i++) {
                request.rewind();
                tun.write(request);
                int n;
                do {
                    buffer.clear();
                    n = tun.read(buffer);
                    reads++;
                    if (n < 0) {
                        fail("read returned -1 after " + i + " rounds (watchdog)");
                    }
                    buffer.flip();
                } while (!Packets.isIcmpEchoReply4(buffer));
            }
        } finally {
            guard.cancel(false);
        }
        return reads;
    }

    /** A TUN in the namespace, up, with 100.64.7.1/24 and fd00:64::1/64. */
    private static LinuxTun upWithAddresses() throws Exception {
        LinuxTun t = LinuxTun.create("wt%d", NAMESPACE_PATH);
        try {
            run("ip", "-n", NAMESPACE, "addr", "add", "100.64.7.1/24", "dev", t.name());
            run("ip", "-n", NAMESPACE, "addr", "add", "fd00:64::1/64", "dev", t.name(), "nodad");
            run("ip", "-n", NAMESPACE, "link", "set", t.name(), "up");
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    /**
     * Reads packets into {@code buffer} until one matches, and returns it (flipped); skips the
     * packets the kernel sends by itself (router solicitations, MLD). Fails after PACKET_TIMEOUT.
     */
    private ByteBuffer readUntil(ByteBuffer buffer, Predicate<ByteBuffer> match) throws IOException {
        ScheduledFuture<?> guard = watchdog.schedule(tun::close, PACKET_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            for (int skipped = 0; skipped < 1000; skipped++) {
                buffer.clear();
                int n = tun.read(buffer);
                if (n < 0) {
                    fail("no matching packet within " + PACKET_TIMEOUT);
                }
                buffer.flip();
                assertThat(buffer.remaining()).isEqualTo(n);
                if (match.test(buffer)) {
                    return buffer;
                }
            }
            return fail("only unrelated packets");
        } finally {
            guard.cancel(false);
        }
    }

    /** A thread blocked in {@link LinuxTun#read}; {@link #start} returns once it sleeps in poll. */
    private record BlockedReader(Thread thread, CompletableFuture<Integer> result, AtomicLong returnedAt) {

        private static final AtomicInteger COUNT = new AtomicInteger();

        static BlockedReader start(LinuxTun tun) throws InterruptedException {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            AtomicLong returnedAt = new AtomicLong();
            ByteBuffer buffer = ByteBuffer.allocateDirect(Tun.MAX_PACKET);
            Thread thread = Thread.ofPlatform().name("weft-tun-test-reader-" + COUNT.incrementAndGet()).start(() -> {
                try {
                    int n = tun.read(buffer);
                    returnedAt.set(System.nanoTime());
                    result.complete(n);
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            awaitPolling(thread);
            assertThat(result).isNotDone();
            return new BlockedReader(thread, result, returnedAt);
        }

        /** Waits until {@code thread} is inside LinuxTun's poll loop. */
        static void awaitPolling(Thread thread) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitReadable"))) {
                    return;
                }
                Thread.sleep(5);
            }
            fail("the reader never reached poll");
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

    private static Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    private static void assertExitsZero(Process process) throws Exception {
        boolean exited = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("exited in time: %s", output).isTrue();
        assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
    }

    /** Runs a command to completion; fails when it does not exit 0. */
    private static String run(String... command) throws Exception {
        Process process = start(command);
        boolean exited = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static int exitCode(String... command) throws Exception {
        Process process = start(command);
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not exit");
        }
        process.getInputStream().readAllBytes();
        return process.exitValue();
    }
}
