package net.weft.crypto.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashSet;
import java.util.Set;
import net.weft.crypto.Protocol;
import net.weft.crypto.replay.ReplayFilter;

/**
 * {@link ReplayFilter#validate} on any sequence of counters, checked against the plain statement
 * of what it promises: a counter is accepted when it is below the limit, was not accepted before,
 * and is ahead of the newest accepted counter or at most {@link ReplayFilter#WINDOW_SIZE} behind
 * it (all unsigned). The bitmap ring is exact within that window, so the two must agree on every
 * counter.
 */
class ReplayFilterFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void validate(FuzzedDataProvider data) {
        long limit = data.consumeBoolean() ? Protocol.REJECT_AFTER_MESSAGES : data.consumeLong();
        ReplayFilter filter = new ReplayFilter();
        Set<Long> seen = new HashSet<>();
        long newest = 0;
        long previous = 0;
        for (int step = 0; step < 512 && data.remainingBytes() > 0; step++) {
            long counter = switch (data.consumeInt(0, 3)) {
                case 0 -> data.consumeLong();
                case 1 -> previous + data.consumeShort();
                case 2 -> newest - data.consumeInt(ReplayFilter.WINDOW_SIZE - 64, ReplayFilter.WINDOW_SIZE + 64);
                default -> newest + data.consumeInt(0, 64 * 130);
            };
            previous = counter;

            boolean expected = Long.compareUnsigned(counter, limit) < 0
                    && !seen.contains(counter)
                    && (Long.compareUnsigned(counter, newest) > 0 || Long.compareUnsigned(newest - counter, ReplayFilter.WINDOW_SIZE) <= 0);
            boolean accepted = filter.validate(counter, limit);

            if (accepted != expected) {
                throw new AssertionError("step " + step + ": counter " + Long.toUnsignedString(counter) + " with newest "
                        + Long.toUnsignedString(newest) + " and limit " + Long.toUnsignedString(limit)
                        + (accepted ? " was accepted" : " was refused"));
            }
            if (accepted) {
                seen.add(counter);
                if (Long.compareUnsigned(counter, newest) > 0) {
                    newest = counter;
                }
                if (filter.validate(counter, limit)) {
                    throw new AssertionError("counter " + Long.toUnsignedString(counter) + " accepted twice in a row");
                }
            }
        }
    }
}
