package net.weft.labs.netns;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition by asking again every {@value #INTERVAL_MILLIS} ms until a deadline. */
public final class Poll {

    public static final long INTERVAL_MILLIS = 100;

    private Poll() {
    }

    /**
     * Asks {@code attempt} until its answer passes {@code done} and returns that answer; fails
     * with the last answer when {@code timeout} passes first.
     */
    public static <T> T until(Duration timeout, String what, Supplier<T> attempt, Predicate<? super T> done) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T answer = attempt.get();
            if (done.test(answer)) {
                return answer;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what + "; last seen:\n" + answer);
            }
            pause();
        }
    }

    public static void until(Duration timeout, String what, Supplier<Boolean> condition) {
        until(timeout, what, condition, Boolean::booleanValue);
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}
