package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.B4;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.weft.node.device.DeviceCounters.Handshake;
import org.junit.jupiter.api.Test;

/** The whitepaper's timers, driven by a fake clock and {@link Device#runTimers()}. */
class TimersTest {

    private static final Duration RETRANSMIT = Duration.ofMillis(5_400); // REKEY_TIMEOUT + the most jitter

    @Test
    void rekeysAfterRekeyAfterTimeAndTrafficContinues() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 100, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            Session aOld = t.a.device.currentSession(t.b.publicKey());
            Session bOld = t.b.device.currentSession(t.a.publicKey());
            assertThat(aOld.keypair.isInitiator()).isTrue();

            t.clock.advance(Duration.ofSeconds(121));
            // still valid for sending, but A (the initiator) now starts a new handshake
            byte[] q = IpPackets.ipv4(A4, B4, 100, 2);
            assertThat(t.transfer(t.a, t.b, q)).isEqualTo(q);
            t.pump(() -> t.a.device.currentSession(t.b.publicKey()) != aOld);
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(2);

            // the next packet uses the new keypair, which confirms it on B
            byte[] r = IpPackets.ipv4(A4, B4, 100, 3);
            assertThat(t.transfer(t.a, t.b, r)).isEqualTo(r);
            Session aNew = t.a.device.currentSession(t.b.publicKey());
            Session bNew = t.b.device.currentSession(t.a.publicKey());
            assertThat(bNew).isNotSameAs(bOld);
            assertThat(bNew.keypair.remoteIndex()).isEqualTo(aNew.keypair.localIndex());

            // past REJECT_AFTER_TIME of the first keypair, traffic flows on the new one both ways
            t.clock.advance(Duration.ofSeconds(70));
            byte[] s = IpPackets.ipv4(B4, A4, 100, 4);
            assertThat(t.transfer(t.b, t.a, s)).isEqualTo(s);
            assertThat(aOld.keypair.isDestroyed() || t.a.device.counters().drops(DropReason.EXPIRED_KEYPAIR) == 0).isTrue();
            assertThat(t.a.device.counters().dropsTotal()).isZero();
        }
    }

    @Test
    void responderDoesNotRekeyOnTimeButTheInitiatorRekeysWhenReceivingOnAnOldKeypair() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            // REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT = 165 s; B (responder) sends at 166 s
            t.clock.advance(Duration.ofSeconds(166));
            byte[] q = IpPackets.ipv4(B4, A4, 10, 2);
            assertThat(t.transfer(t.b, t.a, q)).isEqualTo(q);
            assertThat(t.b.device.counters().handshakes(Handshake.INITIATION_SENT)).isZero();
            // A received on its old keypair and initiated the last-minute rekey
            t.pump(() -> t.a.device.counters().handshakes(Handshake.INITIATION_SENT) == 2
                    && t.a.device.counters().handshakes(Handshake.COMPLETED) == 2);
        }
    }

    @Test
    void keepaliveFollowsReceivedDataAfterKeepaliveTimeoutAndIsNotWrittenToTheTun() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            t.settle();
            long aRx = t.a.peer(t.b.publicKey()).rxBytes();
            t.b.device.runTimers();
            t.settle();
            assertThat(t.a.peer(t.b.publicKey()).rxBytes()).isEqualTo(aRx);

            t.clock.advance(Duration.ofSeconds(10));
            t.b.device.runTimers();
            t.pump(() -> t.a.peer(t.b.publicKey()).rxBytes() == aRx + Messages32.KEEPALIVE);
            assertThat(t.a.delivered()).isNull();
            assertThat(t.a.device.counters().dropsTotal()).isZero();
        }
    }

    @Test
    void persistentKeepaliveSendsOnItsIntervalWhenIdle() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            t.settle();
            step(t, Duration.ofSeconds(10)); // B's keepalive answers the data
            long bRx0 = t.b.peer(t.a.publicKey()).rxBytes();
            t.a.device.apply(TwoDevices.peersOnly(new PeerUpdate(t.b.publicKey(), false, true, Optional.empty(),
                    Optional.empty(), OptionalInt.of(25), false, List.of())));
            // turning it on sends one at once
            t.pump(() -> t.b.peer(t.a.publicKey()).rxBytes() == bRx0 + Messages32.KEEPALIVE);
            assertThat(t.a.peer(t.b.publicKey()).persistentKeepaliveSeconds()).isEqualTo(25);

            step(t, Duration.ofSeconds(24));
            assertThat(t.b.peer(t.a.publicKey()).rxBytes()).isEqualTo(bRx0 + Messages32.KEEPALIVE);
            step(t, Duration.ofSeconds(1));
            assertThat(t.b.peer(t.a.publicKey()).rxBytes()).isEqualTo(bRx0 + 2 * Messages32.KEEPALIVE);
            step(t, Duration.ofSeconds(25));
            assertThat(t.b.peer(t.a.publicKey()).rxBytes()).isEqualTo(bRx0 + 3 * Messages32.KEEPALIVE);
            assertThat(t.a.delivered()).isNull();
            assertThat(t.b.delivered()).isNull();
        }
    }

    /** Advances the clock, runs both devices' timers and delivers what they sent (MANUAL network). */
    private static void step(TwoDevices t, Duration d) {
        t.clock.advance(d);
        t.a.device.runTimers();
        t.b.device.runTimers();
        t.network.deliverPending();
    }

    @Test
    void retriesEveryRekeyTimeoutThenGivesUpAndLaterErasesKeys() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            // B is gone: nothing answers A
            t.b.device.close();
            t.a.inject(IpPackets.ipv4(A4, B4, 10, 1));
            t.pump(() -> t.a.device.counters().handshakes(Handshake.INITIATION_SENT) == 1);
            for (int i = 0; i < 19; i++) {
                t.clock.advance(RETRANSMIT);
                t.a.device.runTimers();
                assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(2 + i);
            }
            assertThat(t.a.device.peerForTest(t.b.publicKey()).hasStaged()).isTrue();
            t.clock.advance(RETRANSMIT);
            t.a.device.runTimers();
            // 20 initiations in all (MaxTimerHandshakes + 2), then it gives up and drops the waiting packet
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(20);
            assertThat(t.a.device.counters().handshakes(Handshake.GAVE_UP)).isEqualTo(1);
            assertThat(t.a.device.counters().drops(DropReason.STAGED_EXPIRED)).isEqualTo(1);
            assertThat(t.a.device.peerForTest(t.b.publicKey()).hasStaged()).isFalse();
            t.clock.advance(Duration.ofSeconds(60));
            t.a.device.runTimers();
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(20);
        }
    }

    @Test
    void keysAreZeroedAfterThreeTimesRejectAfterTime() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            t.settle();
            Session a = t.a.device.currentSession(t.b.publicKey());
            Session b = t.b.device.currentSession(t.a.publicKey());
            for (int second = 5; second < 540; second += 5) {
                step(t, Duration.ofSeconds(5));
            }
            step(t, Duration.ofSeconds(4)); // 539 s
            assertThat(a.keypair.isDestroyed()).isFalse();
            step(t, Duration.ofSeconds(2));
            assertThat(a.keypair.isDestroyed()).isTrue();
            assertThat(b.keypair.isDestroyed()).isTrue();
            assertThat(t.a.device.currentSession(t.b.publicKey())).isNull();
            assertThat(t.a.device.indexTable.session(a.localIndex())).isNull();
            assertThat(t.a.device.indexTable.size()).isZero();
            // one keepalive exchange at 10 s and nothing else while idle
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(1);
            // and a new packet simply handshakes again
            byte[] q = IpPackets.ipv4(A4, B4, 10, 2);
            assertThat(t.transfer(t.a, t.b, q)).isEqualTo(q);
        }
    }

    @Test
    void noAnswerToDataStartsANewHandshakeAfterKeepalivePlusRekeyTimeout() throws Exception {
        try (TwoDevices t = new TwoDevices()) {
            byte[] p = IpPackets.ipv4(A4, B4, 10, 1);
            assertThat(t.transfer(t.a, t.b, p)).isEqualTo(p);
            t.settle();
            // B sent a keepalive back? not yet (no timer run); A's new-handshake timer is armed
            t.network.hook((src, dst, payload) -> net.weft.node.conn.InMemoryNetwork.Action.DROP);
            t.a.inject(IpPackets.ipv4(A4, B4, 10, 2));
            t.pump(() -> t.a.device.peerForTest(t.b.publicKey()).timers.isPending(Timers.NEW_HANDSHAKE));
            long before = t.a.device.counters().handshakes(Handshake.INITIATION_SENT);
            t.clock.advance(Duration.ofMillis(15_400));
            t.a.device.runTimers();
            assertThat(t.a.device.counters().handshakes(Handshake.INITIATION_SENT)).isEqualTo(before + 1);
        }
    }

    /** Wire sizes the assertions use. */
    static final class Messages32 {
        static final long KEEPALIVE = 32;
    }
}
