package net.weft.coordinator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JoinRateLimiterTest {

    @Test
    void aSourceGetsItsBurstThenOneJoinPerRefillInterval() {
        JoinRateLimiter limiter = new JoinRateLimiter(3, 60);
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("192.0.2.1", t)).isTrue();
        }
        assertThat(limiter.tryAcquire("192.0.2.1", t)).isFalse();
        assertThat(limiter.tryAcquire("192.0.2.2", t)).as("other sources are not affected").isTrue();
        t += TimeUnit.MILLISECONDS.toNanos(999);
        assertThat(limiter.tryAcquire("192.0.2.1", t)).isFalse();
        t += TimeUnit.MILLISECONDS.toNanos(2);
        assertThat(limiter.tryAcquire("192.0.2.1", t)).as("one join back after a second at 60/min").isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1", t)).isFalse();
    }

    @Test
    void theMapOfSourcesStaysBounded() {
        JoinRateLimiter limiter = new JoinRateLimiter(1, 60);
        for (int i = 0; i < JoinRateLimiter.MAX_SOURCES * 3; i++) {
            limiter.tryAcquire("source-" + i, TimeUnit.MINUTES.toNanos(i));
        }
        assertThat(limiter.tryAcquire("late", TimeUnit.MINUTES.toNanos(JoinRateLimiter.MAX_SOURCES * 3L))).isTrue();
    }
}
