package net.weft.node.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

class InMemoryNetworkTest {

    private static final InetAddress A4 = address("100.64.0.1");
    private static final InetAddress B4 = address("100.64.0.2");
    private static final InetAddress A6 = address("fd00::1");
    private static final InetAddress B6 = address("fd00::2");

    /** Records datagrams as strings with their sources and the thread that delivered them. */
    private static final class Recorder implements Bind.Receiver {
        final List<String> payloads = Collections.synchronizedList(new ArrayList<>());
        final List<InetSocketAddress> sources = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void receive(ByteBuffer packet, InetSocketAddress source) {
            byte[] bytes = new byte[packet.remaining()];
            packet.get(bytes);
            payloads.add(new String(bytes, StandardCharsets.UTF_8));
            sources.add(source);
            threads.add(Thread.currentThread().getName());
        }
    }

    @Test
    void threadedBindsExchangeDatagramsOverIpv4AndIpv6() throws Exception {
        InMemoryNetwork net = new InMemoryNetwork();
        Recorder atA = new Recorder();
        Recorder atB = new Recorder();
        try (InMemoryBind a = net.bind(A4, A6); InMemoryBind b = net.bind(B4, B6)) {
            int pa = a.open(51820, atA);
            int pb = b.open(0, atB);
            assertThat(pa).isEqualTo(51820);
            assertThat(pb).isBetween(49152, 65535);

            a.send(text("hello v4"), new InetSocketAddress(B4, pb));
            a.send(text("hello v6"), new InetSocketAddress(B6, pb));
            b.send(text("reply"), new InetSocketAddress(A4, pa));

            awaitTrue(() -> atB.payloads.size() == 2 && atA.payloads.size() == 1);
            assertThat(atB.payloads).containsExactly("hello v4", "hello v6");
            assertThat(atB.sources).containsExactly(new InetSocketAddress(A4, pa), new InetSocketAddress(A6, pa));
            assertThat(atA.sources).containsExactly(new InetSocketAddress(B4, pb));
            assertThat(atB.threads).allMatch(name -> name.startsWith("weft-inmem-"));
            assertThat(net.awaitIdle(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void manualNetworkDeliversInGlobalSendOrderOnTheCallingThread() throws Exception {
        InMemoryNetwork net = InMemoryNetwork.manual();
        List<String> log = new ArrayList<>();
        InMemoryBind b = net.bind(B4);
        try (InMemoryBind a = net.bind(A4); b) {
            InetSocketAddress toA = new InetSocketAddress(A4, 1000);
            InetSocketAddress toB = new InetSocketAddress(B4, 2000);
            a.open(1000, (p, s) -> log.add("a<-" + string(p)));
            // b answers each datagram once, so deliverPending also delivers the answers
            b.open(2000, (p, s) -> {
                String m = string(p);
                log.add("b<-" + m);
                b.send(text("re:" + m), s);
            });
            a.send(text("1"), toB);
            b.send(text("x"), toA);
            a.send(text("2"), toB);
            assertThat(log).isEmpty();
            assertThat(net.pending()).isEqualTo(3);

            assertThat(net.deliverPending()).isEqualTo(5);
            assertThat(log).containsExactly("b<-1", "a<-x", "b<-2", "a<-re:1", "a<-re:2");
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("weft-inmem-"));
        }
    }

    @Test
    void hooksDropDuplicateReorderAndCorrupt() throws Exception {
        InMemoryNetwork net = InMemoryNetwork.manual();
        Recorder rec = new Recorder();
        try (InMemoryBind a = net.bind(A4); InMemoryBind b = net.bind(B4)) {
            a.open(1, (p, s) -> { });
            int pb = b.open(2, rec);
            InetSocketAddress toB = new InetSocketAddress(B4, pb);
            net.hook((src, dst, payload) -> switch (string(payload.duplicate())) {
                case "drop" -> InMemoryNetwork.Action.DROP;
                case "dup" -> InMemoryNetwork.Action.DUPLICATE;
                case "late" -> InMemoryNetwork.Action.HOLD;
                case "flip" -> {
                    payload.put(payload.position(), (byte) 'F');
                    yield InMemoryNetwork.Action.DELIVER;
                }
                default -> InMemoryNetwork.Action.DELIVER;
            });
            for (String m : List.of("late", "drop", "dup", "flip", "ok")) {
                a.send(text(m), toB);
            }
            net.deliverPending();
            assertThat(rec.payloads).containsExactly("dup", "dup", "Flip", "ok");

            assertThat(net.releaseHeld()).isEqualTo(1);
            net.deliverPending();
            assertThat(rec.payloads).containsExactly("dup", "dup", "Flip", "ok", "late");
        }
    }

    @Test
    void reopeningMovesThePortAndTheOldPortNoLongerReceives() throws Exception {
        InMemoryNetwork net = InMemoryNetwork.manual();
        Recorder rec = new Recorder();
        try (InMemoryBind a = net.bind(A4); InMemoryBind b = net.bind(B4)) {
            a.open(1, (p, s) -> { });
            b.open(2000, rec);
            a.send(text("queued before the move"), new InetSocketAddress(B4, 2000));
            assertThat(b.open(3000, rec)).isEqualTo(3000);
            assertThat(b.port()).isEqualTo(3000);

            a.send(text("old"), new InetSocketAddress(B4, 2000));
            a.send(text("new"), new InetSocketAddress(B4, 3000));
            net.deliverPending();
            assertThat(rec.payloads).containsExactly("new");
            assertThat(net.undeliverable()).isEqualTo(1);
        }
    }

    @Test
    void portInUseIsRefusedAndPreferredPortIsTakenForPortZero() throws Exception {
        InMemoryNetwork net = InMemoryNetwork.manual();
        InMemoryBind a = net.bind(A4);
        try (InMemoryBind b = net.bind(new InetSocketAddress(A4, 4444))) {
            a.open(4444, (p, s) -> { });
            assertThatThrownBy(() -> b.open(0, (p, s) -> { })).isInstanceOf(BindException.class);
            a.close();
            assertThat(a.port()).isZero();
            assertThat(b.open(0, (p, s) -> { })).isEqualTo(4444);
        }
    }

    @Test
    void fullQueueDropsAndCountsLikeASocketBuffer() throws Exception {
        InMemoryNetwork net = new InMemoryNetwork(InMemoryNetwork.Delivery.MANUAL, 4);
        AtomicInteger got = new AtomicInteger();
        try (InMemoryBind a = net.bind(A4); InMemoryBind b = net.bind(B4)) {
            a.open(1, (p, s) -> { });
            b.open(2, (p, s) -> got.incrementAndGet());
            for (int i = 0; i < 10; i++) {
                a.send(text("m"), new InetSocketAddress(B4, 2));
            }
            assertThat(net.deliverPending()).isEqualTo(4);
            assertThat(got).hasValue(4);
            assertThat(b.queueDrops()).isEqualTo(6);
        }
    }

    @Test
    void sendingWhenClosedOrTooLargeIsCountedNotThrown() throws Exception {
        InMemoryNetwork net = InMemoryNetwork.manual();
        try (InMemoryBind a = net.bind(A4)) {
            a.send(text("closed"), new InetSocketAddress(B4, 1));
            a.open(1, (p, s) -> { });
            a.send(ByteBuffer.allocate(InMemoryNetwork.MAX_DATAGRAM + 1), new InetSocketAddress(B4, 1));
            assertThat(a.sendErrors()).isEqualTo(2);
            a.send(ByteBuffer.allocate(InMemoryNetwork.MAX_DATAGRAM), new InetSocketAddress(B4, 1));
            assertThat(a.sendErrors()).isEqualTo(2);
        }
    }

    @Test
    void receiverExceptionsAreCountedAndDeliveryContinues() throws Exception {
        InMemoryNetwork net = new InMemoryNetwork();
        AtomicInteger calls = new AtomicInteger();
        try (InMemoryBind a = net.bind(A4); InMemoryBind b = net.bind(B4)) {
            a.open(1, (p, s) -> { });
            b.open(2, (p, s) -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("boom");
                }
            });
            a.send(text("1"), new InetSocketAddress(B4, 2));
            a.send(text("2"), new InetSocketAddress(B4, 2));
            awaitTrue(() -> calls.get() == 2);
            assertThat(b.receiveErrors()).isEqualTo(1);
        }
    }

    @Test
    void closeStopsTheDeliveryThreads() throws Exception {
        InMemoryNetwork net = new InMemoryNetwork();
        InMemoryBind a = net.bind(address("100.64.9.9"));
        a.open(7777, (p, s) -> { });
        assertThat(threadNamed("weft-inmem-100.64.9.9-7777")).isTrue();
        a.close();
        a.close();
        assertThat(threadNamed("weft-inmem-100.64.9.9-7777")).isFalse();
    }

    @Test
    void steadyStateSendAndDeliverAllocateNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        InMemoryNetwork net = new InMemoryNetwork();
        AtomicLong got = new AtomicLong();
        try (InMemoryBind a = net.bind(A4); InMemoryBind b = net.bind(B4)) {
            a.open(1, (p, s) -> { });
            b.open(2, (p, s) -> got.incrementAndGet());
            InetSocketAddress toB = new InetSocketAddress(B4, 2);
            ByteBuffer packet = ByteBuffer.allocateDirect(1452);
            int rounds = 200;
            int batch = 500;
            long start = 0;
            for (int round = 0; round < rounds; round++) {
                if (round == rounds / 2) {
                    start = threads.getCurrentThreadAllocatedBytes();
                }
                for (int i = 0; i < batch; i++) {
                    a.send(packet.clear(), toB);
                }
                long expected = (long) (round + 1) * batch;
                awaitTrue(() -> got.get() + b.queueDrops() == expected);
            }
            long perPacket = (threads.getCurrentThreadAllocatedBytes() - start) / ((long) rounds / 2 * batch);
            assertThat(perPacket).as("bytes allocated per send").isLessThanOrEqualTo(1);

            long deliveryThreadId = threadId("weft-inmem-" + B4.getHostAddress() + "-2");
            long before = threads.getThreadAllocatedBytes(deliveryThreadId);
            long countBefore = got.get() + b.queueDrops();
            for (int i = 0; i < 50_000; i++) {
                a.send(packet.clear(), toB);
            }
            awaitTrue(() -> got.get() + b.queueDrops() == countBefore + 50_000);
            assertThat(net.awaitIdle(Duration.ofSeconds(5))).isTrue();
            long deliveryPerPacket = (threads.getThreadAllocatedBytes(deliveryThreadId) - before) / 50_000;
            assertThat(deliveryPerPacket).as("bytes allocated per delivery").isLessThanOrEqualTo(1);
        }
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElseThrow().threadId();
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(1);
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
