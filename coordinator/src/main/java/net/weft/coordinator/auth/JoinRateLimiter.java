package net.weft.coordinator.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import net.weft.coordinator.config.WeftConfig;

/**
 * A token bucket per source address for joins, on this member (a source spreading joins over members
 * gets each member's allowance). The map of buckets is owned by this bean; each bucket guards itself.
 * Full buckets are dropped when the map grows past {@link #MAX_SOURCES}, so the map stays bounded.
 */
@ApplicationScoped
public class JoinRateLimiter {

    static final int MAX_SOURCES = 10_000;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final double burst;
    private final double perNano;

    @Inject
    public JoinRateLimiter(WeftConfig config) {
        this(config.join().burst(), config.join().perMinute());
    }

    JoinRateLimiter(int burst, int perMinute) {
        this.burst = Math.max(1, burst);
        this.perNano = Math.max(0, perMinute) / 60e9;
    }

    /** Takes one join from {@code source}'s bucket; false when it is empty. */
    public boolean tryAcquire(String source) {
        return tryAcquire(source, System.nanoTime());
    }

    boolean tryAcquire(String source, long nowNanos) {
        if (buckets.size() > MAX_SOURCES) {
            buckets.values().removeIf(b -> b.isFull(nowNanos));
        }
        return buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNanos)).take(nowNanos);
    }

    private final class Bucket {
        /** Guarded by this bucket's monitor. */
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized boolean take(long now) {
            refill(now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
