package net.weft.node.device;

import java.security.SecureRandom;
import java.util.Objects;
import net.weft.crypto.Clock;

/**
 * How a {@link Device} is built: its time source, randomness and tuning knobs. Immutable; start
 * from {@link #defaults()} and change one field at a time with the {@code with...} methods.
 *
 * @param clock                   monotonic time for every protocol timer and wall time for TAI64N
 *                                timestamps and the last-handshake time; tests pass a fake clock
 * @param random                  randomness for ephemeral keys, receiver indices and cookie secrets
 * @param loggerName              the {@link System.Logger} name the device logs under
 * @param timerTickMillis         how often the timer thread evaluates the per-peer deadlines; 0
 *                                starts no timer thread (tests then call {@link Device#runTimers()})
 * @param stagedPacketsPerPeer    packets kept per peer while it has no usable keypair; when full
 *                                the oldest is dropped ({@link DropReason#STAGED_OVERFLOW})
 * @param underLoadHandshakesPerSecond handshake messages (initiations and responses) per second
 *                                above which the device is under load: it then demands mac2 and
 *                                rate-limits handshakes per source for one second. 0 means always
 *                                under load (tests of the cookie path)
 * @param cryptoWorkers           0 (the default): seal on the TUN reader and open on the receive
 *                                thread, inline; above 0, that many worker threads seal and open
 *                                in parallel while packets keep their order ({@link CryptoWorkers})
 * @param forwarding              whether the device starts with forwarding on (relay role); it can
 *                                be turned on and off at runtime with {@link Device#setForwarding}
 */
public record DeviceOptions(Clock clock, SecureRandom random, String loggerName, int timerTickMillis,
                            int stagedPacketsPerPeer, int underLoadHandshakesPerSecond, int cryptoWorkers,
                            boolean forwarding) {

    /** The default tick of the timer thread: fine enough for 5 s retransmits with 333 ms of jitter. */
    public static final int DEFAULT_TIMER_TICK_MILLIS = 100;
    /** wireguard-go keeps 128 packets per peer waiting for a handshake (QueueStagedSize). */
    public static final int DEFAULT_STAGED_PACKETS = 128;
    /**
     * Handshakes are processed inline on the receive thread (~0.3 ms each: four X25519 operations),
     * so one core manages about 3000 per second. Above 256 a second the device protects itself; a
     * mesh of 10,000 peers rekeying every two minutes produces about 170.
     */
    public static final int DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND = 256;

    public DeviceOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(loggerName, "loggerName");
        if (timerTickMillis < 0) {
            throw new IllegalArgumentException("timerTickMillis must be >= 0: " + timerTickMillis);
        }
        if (stagedPacketsPerPeer < 1) {
            throw new IllegalArgumentException("stagedPacketsPerPeer must be >= 1: " + stagedPacketsPerPeer);
        }
        if (cryptoWorkers < 0 || cryptoWorkers > 64) {
            throw new IllegalArgumentException("cryptoWorkers must be 0..64: " + cryptoWorkers);
        }
        if (underLoadHandshakesPerSecond < 0) {
            throw new IllegalArgumentException("underLoadHandshakesPerSecond must be >= 0: " + underLoadHandshakesPerSecond);
        }
    }

    /** The system clock, a fresh {@link SecureRandom}, logger {@code net.weft.node.device}, default knobs. */
    public static DeviceOptions defaults() {
        return new DeviceOptions(Clock.SYSTEM, new SecureRandom(), "net.weft.node.device", DEFAULT_TIMER_TICK_MILLIS,
                DEFAULT_STAGED_PACKETS, DEFAULT_UNDER_LOAD_HANDSHAKES_PER_SECOND, 0, false);
    }

    public DeviceOptions withClock(Clock c) {
        return new DeviceOptions(c, random, loggerName, timerTickMillis, stagedPacketsPerPeer, underLoadHandshakesPerSecond,
                cryptoWorkers, forwarding);
    }

    public DeviceOptions withRandom(SecureRandom r) {
        return new DeviceOptions(clock, r, loggerName, timerTickMillis, stagedPacketsPerPeer, underLoadHandshakesPerSecond,
                cryptoWorkers, forwarding);
    }

    public DeviceOptions withLoggerName(String name) {
        return new DeviceOptions(clock, random, name, timerTickMillis, stagedPacketsPerPeer, underLoadHandshakesPerSecond,
                cryptoWorkers, forwarding);
    }

    public DeviceOptions withTimerTickMillis(int millis) {
        return new DeviceOptions(clock, random, loggerName, millis, stagedPacketsPerPeer, underLoadHandshakesPerSecond,
                cryptoWorkers, forwarding);
    }

    public DeviceOptions withStagedPacketsPerPeer(int n) {
        return new DeviceOptions(clock, random, loggerName, timerTickMillis, n, underLoadHandshakesPerSecond,
                cryptoWorkers, forwarding);
    }

    public DeviceOptions withUnderLoadHandshakesPerSecond(int n) {
        return new DeviceOptions(clock, random, loggerName, timerTickMillis, stagedPacketsPerPeer, n, cryptoWorkers,
                forwarding);
    }

    public DeviceOptions withCryptoWorkers(int n) {
        return new DeviceOptions(clock, random, loggerName, timerTickMillis, stagedPacketsPerPeer, underLoadHandshakesPerSecond, n,
                forwarding);
    }

    public DeviceOptions withForwarding(boolean on) {
        return new DeviceOptions(clock, random, loggerName, timerTickMillis, stagedPacketsPerPeer, underLoadHandshakesPerSecond,
                cryptoWorkers, on);
    }
}
