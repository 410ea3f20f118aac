package net.weft.crypto.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.weft.crypto.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replay filter against the situations of the Linux kernel's WireGuard nonce counter
 * self-test ({@code drivers/net/wireguard/selftest/counter.c}, {@code wg_packet_counter_selftest}):
 * {@link #kernelSelfTest} replays its sequences of (counter, expected) in order, one section per
 * {@code T_INIT}, with the kernel's step numbers; the named tests below spell out each situation
 * (in order, out of order, too old, duplicates, ring wrap, big jumps, the reject-after-messages
 * limit) on its own.
 */
class ReplayFilterTest {

    private static final long W = ReplayFilter.WINDOW_SIZE;
    private static final long REJECT = Protocol.REJECT_AFTER_MESSAGES;
    /** The kernel's {@code T_LIM}. */
    private static final long T_LIM = W + 1;

    private final ReplayFilter filter = new ReplayFilter();

    private boolean accept(long counter) {
        return filter.validate(counter, REJECT);
    }

    // ---- the kernel's sequence ------------------------------------------------------------------

    /** One counter and the verdict the kernel's self-test expects for it. */
    record Step(int number, long counter, boolean expected) {
    }

    /** One {@code T_INIT} block of the self-test: a fresh filter, then its steps in order. */
    record Section(String name, List<Step> steps) {
        @Override
        public String toString() {
            return name + " (" + steps.size() + " steps)";
        }
    }

    /** Builds a section, numbering steps from 1 as the kernel's {@code test_num} does per block. */
    private static final class SectionBuilder {
        private final String name;
        private final List<Step> steps = new ArrayList<>();

        SectionBuilder(String name) {
            this.name = name;
        }

        SectionBuilder t(long counter, boolean expected) {
            steps.add(new Step(steps.size() + 1, counter, expected));
            return this;
        }

        Section build() {
            return new Section(name, List.copyOf(steps));
        }
    }

    static Stream<Section> kernelSections() {
        List<Section> sections = new ArrayList<>();

        sections.add(new SectionBuilder("steps 1-34: mixed order, window edges, reject-after-messages")
                .t(0, true)                            // 1
                .t(1, true)                            // 2
                .t(1, false)                           // 3
                .t(9, true)                            // 4
                .t(8, true)                            // 5
                .t(7, true)                            // 6
                .t(7, false)                           // 7
                .t(T_LIM, true)                        // 8
                .t(T_LIM - 1, true)                    // 9
                .t(T_LIM - 1, false)                   // 10
                .t(T_LIM - 2, true)                    // 11
                .t(2, true)                            // 12
                .t(2, false)                           // 13
                .t(T_LIM + 16, true)                   // 14
                .t(3, false)                           // 15
                .t(T_LIM + 16, false)                  // 16
                .t(T_LIM * 4, true)                    // 17
                .t(T_LIM * 4 - (T_LIM - 1), true)      // 18
                .t(10, false)                          // 19
                .t(T_LIM * 4 - T_LIM, false)           // 20
                .t(T_LIM * 4 - (T_LIM + 1), false)     // 21
                .t(T_LIM * 4 - (T_LIM - 2), true)      // 22
                .t(T_LIM * 4 + 1 - T_LIM, false)       // 23
                .t(0, false)                           // 24
                .t(REJECT, false)                      // 25
                .t(REJECT - 1, true)                   // 26
                .t(REJECT, false)                      // 27
                .t(REJECT - 1, false)                  // 28
                .t(REJECT - 2, true)                   // 29
                .t(REJECT + 1, false)                  // 30
                .t(REJECT + 2, false)                  // 31
                .t(REJECT - 2, false)                  // 32
                .t(REJECT - 3, true)                   // 33
                .t(0, false)                           // 34
                .build());

        SectionBuilder b = new SectionBuilder("1..W in order, then 0 still inside the window");
        for (long i = 1; i <= W; i++) {
            b.t(i, true);
        }
        sections.add(b.t(0, true).t(0, false).build());

        b = new SectionBuilder("2..W+1 in order, then 1 at the window edge, 0 just outside");
        for (long i = 2; i <= W + 1; i++) {
            b.t(i, true);
        }
        sections.add(b.t(1, true).t(0, false).build());

        b = new SectionBuilder("W..0 in descending order");
        for (long i = W + 1; i-- > 0; ) {
            b.t(i, true);
        }
        sections.add(b.build());

        b = new SectionBuilder("W+1..1 in descending order, then 0 just outside");
        for (long i = W + 2; i-- > 1; ) {
            b.t(i, true);
        }
        sections.add(b.t(0, false).build());

        b = new SectionBuilder("W..1 descending, then W+1 forward, then 0 just outside");
        for (long i = W + 1; i-- > 1; ) {
            b.t(i, true);
        }
        sections.add(b.t(W + 1, true).t(0, false).build());

        b = new SectionBuilder("W..1 descending, then 0 at the edge, then W+1 forward");
        for (long i = W + 1; i-- > 1; ) {
            b.t(i, true);
        }
        sections.add(b.t(0, true).t(W + 1, true).build());

        return sections.stream();
    }

    @ParameterizedTest(name = "kernel counter self-test: {0}")
    @MethodSource("kernelSections")
    void kernelSelfTest(Section section) {
        ReplayFilter f = new ReplayFilter();
        List<String> failures = new ArrayList<>();
        for (Step step : section.steps()) {
            if (f.validate(step.counter(), REJECT) != step.expected()) {
                failures.add("step " + step.number() + ": counter " + Long.toUnsignedString(step.counter())
                        + " should be " + (step.expected() ? "accepted" : "rejected"));
            }
        }
        assertThat(failures).isEmpty();
    }

    // ---- each situation on its own -------------------------------------------------------------

    @Test
    void windowIs8128AsInTheKernelAndWireguardGo() {
        assertThat(ReplayFilter.WINDOW_SIZE).isEqualTo(8128);
        assertThat(Protocol.REJECT_AFTER_MESSAGES)
                .as("2^64 - 2^13 - 1 as an unsigned long")
                .isEqualTo(Long.parseUnsignedLong("18446744073709543423"));
    }

    @Test
    void countersInOrderAreAcceptedOnce() {
        for (long c = 0; c < 3 * W; c++) {
            assertThat(accept(c)).as("counter %d", c).isTrue();
        }
        for (long c = 2 * W; c < 3 * W; c++) {
            assertThat(accept(c)).as("replayed counter %d", c).isFalse();
        }
    }

    @Test
    void countersOutOfOrderInsideTheWindowAreAcceptedOnce() {
        assertThat(accept(5000)).isTrue();
        // every counter behind the newest one, in a scrambled order
        for (long i = 0; i < 5000; i++) {
            long c = (i * 2654435761L) % 5000;
            assertThat(accept(c)).as("late counter %d", c).isTrue();
        }
        for (long c = 0; c <= 5000; c++) {
            assertThat(accept(c)).as("replayed counter %d", c).isFalse();
        }
        // late packets keep working after the window moved on
        assertThat(accept(6000)).isTrue();
        assertThat(accept(5500)).isTrue();
        assertThat(accept(5001)).isTrue();
        assertThat(accept(5500)).isFalse();
    }

    @Test
    void counterJustOutsideTheWindowIsTooOld() {
        long newest = 100_000;
        assertThat(accept(newest)).isTrue();
        assertThat(accept(newest - W - 1)).as("newest - 8129").isFalse();
        assertThat(accept(newest - W - 2)).as("newest - 8130").isFalse();
        assertThat(accept(0)).as("far behind").isFalse();
        assertThat(accept(newest - W)).as("newest - 8128, the oldest still judged").isTrue();
        assertThat(accept(newest - W)).as("and only once").isFalse();
    }

    @Test
    void duplicatesAreRejectedWhereverTheyFall() {
        assertThat(accept(0)).isTrue();
        assertThat(accept(0)).as("0 again").isFalse();
        assertThat(accept(63)).isTrue();
        assertThat(accept(64)).isTrue();
        assertThat(accept(63)).as("last bit of a word").isFalse();
        assertThat(accept(64)).as("first bit of the next word").isFalse();
        assertThat(accept(1000)).isTrue();
        assertThat(accept(1000)).as("the newest counter again").isFalse();
        assertThat(accept(999)).isTrue();
        assertThat(accept(999)).isFalse();
    }

    @Test
    void ringWrapsAcrossBlockBoundaries() {
        // 128 words of 64 bits: walk the newest counter word by word through several full turns
        // of the ring, with late packets from the same word and from the last bit of the previous
        // one, so every word is cleared and reused several times
        int ringBits = 128 * 64;
        for (long c = 0; c < 5L * ringBits; c += 64) {
            assertThat(accept(c + 40)).as("counter %d", c + 40).isTrue();
            assertThat(accept(c)).as("late counter %d in the same word", c).isTrue();
            if (c >= 64) {
                assertThat(accept(c - 1)).as("late counter %d in the previous word", c - 1).isTrue();
                assertThat(accept(c - 1)).isFalse();
            }
            assertThat(accept(c + 40)).isFalse();
            assertThat(accept(c)).isFalse();
        }
    }

    @Test
    void reusedWordIsClearedButTheOldestWordInTheWindowIsKept() {
        // 100 lies in word 1; moving the newest counter to 100 + 8128 (word 128, slot 0) clears
        // slots 2..127 and 0, and keeps slot 1, which still holds counters inside the window
        assertThat(accept(100)).isTrue();
        assertThat(accept(101)).isTrue();
        assertThat(accept(100 + W)).isTrue();
        assertThat(accept(100)).as("still inside the window, already seen").isFalse();
        assertThat(accept(102)).as("inside the window, not seen").isTrue();
        assertThat(accept(99)).as("just outside the window").isFalse();
        // one more word forward: slot 1 is reused for word 129 and must come back empty
        assertThat(accept(64 * 129 + 37)).isTrue();
        assertThat(accept(64 * 129 + 36)).isTrue();
        assertThat(accept(64 * 129 + 1)).isTrue();
        assertThat(accept(100)).isFalse();
    }

    @Test
    void bigJumpClearsEveryStaleBit() {
        // fill the whole ring, then jump far ahead: the ring must come back empty, or stale bits
        // would make fresh counters look replayed
        for (long c = 0; c < 128 * 64; c++) {
            assertThat(accept(c)).isTrue();
        }
        long newest = 128L * 64 * 1000 + 5;
        assertThat(accept(newest)).isTrue();
        for (long c = newest - W; c < newest; c++) {
            assertThat(accept(c)).as("counter %d inside the window after the jump", c).isTrue();
        }
        assertThat(accept(newest - W - 1)).isFalse();
        assertThat(accept(8000)).as("from before the jump").isFalse();
    }

    @Test
    void jumpsOfExactlyOneRingAndOfAWholeWindow() {
        assertThat(accept(7)).isTrue();
        assertThat(accept(7 + 128 * 64)).as("same slot, one ring later").isTrue();
        assertThat(accept(7)).as("a ring behind: outside the window").isFalse();
        long newest = 7 + 128 * 64;
        assertThat(accept(newest + W)).as("a whole window ahead").isTrue();
        assertThat(accept(newest)).as("now exactly at the window's edge, already seen").isFalse();
        assertThat(accept(newest + 1)).as("inside, not seen").isTrue();
        assertThat(accept(newest - 1)).as("just outside").isFalse();
    }

    @Test
    void bigJumpsAcrossTheSignBitCompareUnsigned() {
        long high = Long.MIN_VALUE + 10; // 2^63 + 10
        assertThat(accept(Long.MAX_VALUE)).isTrue();
        assertThat(accept(high)).isTrue();
        assertThat(accept(Long.MAX_VALUE)).as("2^63 - 1 is inside the window and seen").isFalse();
        assertThat(accept(Long.MAX_VALUE - 1)).as("2^63 - 2 inside, not seen").isTrue();
        assertThat(accept(5)).as("far behind 2^63, not ahead of it").isFalse();
        assertThat(accept(high - W)).isTrue();
        assertThat(accept(high - W - 1)).isFalse();
        assertThat(accept(high + 1)).isTrue();
    }

    @Test
    void countersAtOrAboveRejectAfterMessagesAreRefused() {
        assertThat(accept(REJECT)).isFalse();
        assertThat(accept(REJECT + 1)).isFalse();
        assertThat(accept(-1L)).as("2^64 - 1").isFalse();
        assertThat(accept(REJECT - 1)).as("the last counter a keypair may use").isTrue();
        assertThat(accept(REJECT - 1)).isFalse();
        assertThat(accept(REJECT - 2)).isTrue();
        assertThat(accept(REJECT)).as("refused even right after the last one").isFalse();
    }

    @Test
    void limitIsTheCallersAndUnsigned() {
        assertThat(filter.validate(9, 10)).isTrue();
        assertThat(filter.validate(10, 10)).isFalse();
        assertThat(filter.validate(11, 10)).isFalse();
        assertThat(filter.validate(0, 0)).as("nothing passes a limit of 0").isFalse();
        assertThat(filter.validate(Long.MIN_VALUE, -1L)).as("2^63 is below 2^64 - 1").isTrue();
    }

    @Test
    void refusedCounterDoesNotMoveTheWindow() {
        assertThat(accept(100)).isTrue();
        assertThat(accept(REJECT)).isFalse();
        assertThat(accept(50)).as("the window did not slide to REJECT_AFTER_MESSAGES").isTrue();
    }

    @Test
    void resetForgetsEverything() {
        assertThat(accept(0)).isTrue();
        assertThat(accept(50_000)).isTrue();
        filter.reset();
        assertThat(accept(0)).isTrue();
        assertThat(accept(10)).isTrue();
        assertThat(accept(50_000)).isTrue();
        assertThat(accept(0)).as("the window moved again").isFalse();
    }
}
