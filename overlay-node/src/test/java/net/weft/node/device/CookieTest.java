package net.weft.node.device;

import static net.weft.node.device.TwoDevices.A4;
import static net.weft.node.device.TwoDevices.B4;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.weft.node.conn.InMemoryNetwork;
import net.weft.node.device.DeviceCounters.Handshake;
import org.junit.jupiter.api.Test;

/** Under load the responder demands mac2: a cookie reply first, then the retry with the cookie succeeds. */
class CookieTest {

    @Test
    void underLoadAnInitiationWithoutMac2GetsACookieAndTheRetryWithMac2Succeeds() throws Exception {
        try (TwoDevices t = new TwoDevices(InMemoryNetwork.manual(), 0, 0)) {
            byte[] p = IpPackets.ipv4(A4, B4, 60, 1);
            t.a.inject(p);
            t.pump(() -> t.a.device.counters().handshakes(Handshake.COOKIE_REPLY_RECEIVED) == 1);
            assertThat(t.b.device.counters().handshakes(Handshake.COOKIE_REPLY_SENT)).isEqualTo(1);
            assertThat(t.b.device.counters().drops(DropReason.COOKIE_REQUIRED)).isEqualTo(1);
            assertThat(t.b.device.counters().handshakes(Handshake.RESPONSE_SENT)).isZero();
            assertThat(t.a.device.peerForTest(t.b.publicKey()).cookieGenerator.hasFreshCookie()).isTrue();

            // the retransmit timer retries, now with mac2
            t.clock.advance(Duration.ofMillis(5_400));
            t.a.device.runTimers();
            t.pump(() -> {
                try {
                    byte[] got = t.b.delivered();
                    if (got != null) {
                        assertThat(got).isEqualTo(p);
                        return true;
                    }
                    return false;
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(t.b.device.counters().handshakes(Handshake.RESPONSE_SENT)).isEqualTo(1);
            assertThat(t.a.device.counters().handshakes(Handshake.COMPLETED)).isEqualTo(1);
            assertThat(t.b.device.counters().drops(DropReason.COOKIE_REQUIRED)).isEqualTo(1);
        }
    }

    @Test
    void underLoadASourceIsRateLimited() throws Exception {
        RateLimiter r = new RateLimiter();
        java.net.InetAddress src = java.net.InetAddress.getByName("203.0.113.7");
        long now = 1_000_000_000L;
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            if (r.allow(src, now)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(r.allow(src, now + 50_000_000L)).isTrue();
        assertThat(r.allow(src, now + 50_000_000L)).isFalse();
        assertThat(r.allow(java.net.InetAddress.getByName("203.0.113.8"), now)).isTrue();
        r.sweep(now + 2_000_000_000L);
        assertThat(r.size()).isZero();
    }
}
