package net.weft.topology.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SortedListTest {

    @Test
    void copyOfSortsDropsDuplicatesAndTakesItsOwnKindAsItIs() {
        SortedList<Integer> s = SortedList.copyOf(List.of(5, 1, 3, 1, 5));
        assertThat(s).containsExactly(1, 3, 5);
        assertThat(SortedList.copyOf(s)).isSameAs(s);
        assertThat(SortedList.copyOf(s, Comparator.<Integer>reverseOrder())).containsExactly(5, 3, 1);
        assertThat(s).isEqualTo(List.of(1, 3, 5)).hasSameHashCodeAs(List.of(1, 3, 5));
        assertThatThrownBy(() -> s.add(7)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> SortedList.copyOf(java.util.Arrays.asList(1, null))).isInstanceOf(NullPointerException.class);
    }

    /** Derived lists against a TreeSet reference, on random operations. */
    @Test
    void derivedListsMatchATreeSet() {
        for (long seed = 1; seed <= 200; seed++) {
            Random r = new Random(seed);
            TreeSet<Integer> ref = new TreeSet<>();
            SortedList<Integer> s = SortedList.of();
            for (int step = 0; step < 40; step++) {
                int x = r.nextInt(60);
                switch (r.nextInt(4)) {
                    case 0 -> {
                        if (ref.add(x)) {
                            s = s.with(x);
                        } else {
                            SortedList<Integer> f = s;
                            assertThatThrownBy(() -> f.with(x)).as("seed %d", seed).isInstanceOf(IllegalArgumentException.class);
                        }
                    }
                    case 1 -> {
                        if (r.nextBoolean()) {
                            s = s.flat();
                        }
                        if (!ref.isEmpty()) {
                            int i = r.nextInt(ref.size());
                            ref.remove(new ArrayList<>(ref).get(i));
                            s = s.without(i);
                        }
                    }
                    case 2 -> {
                        List<Integer> add = new ArrayList<>();
                        for (int k = 0; k < 3; k++) {
                            int y = 100 + r.nextInt(60);
                            if (ref.add(y)) {
                                add.add(y);
                            }
                        }
                        s = s.withAll(add);
                    }
                    default -> {
                        List<Integer> remove = ref.stream().filter(v -> r.nextInt(4) == 0).toList();
                        remove.forEach(ref::remove);
                        s = s.withoutAll(remove);
                    }
                }
                assertThat(s).as("seed %d step %d", seed, step).containsExactlyElementsOf(ref).hasSize(ref.size());
                assertThat(s.toArray()).as("seed %d step %d", seed, step).containsExactly(ref.toArray());
                assertThat(s.flat()).as("seed %d step %d", seed, step).isEqualTo(s);
                assertThat(SortedList.isStrictlyIncreasing(new ArrayList<>(s), Comparator.naturalOrder())).isTrue();
                for (int v : ref) {
                    assertThat(s.search(v)).as("seed %d", seed).isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    /** One edit of a flat list shares its array; an edit of an edited list does not stack views. */
    @Test
    void oneEditViewsReadLikeCopies() {
        SortedList<Integer> base = SortedList.copyOf(List.of(10, 20, 30, 40));
        assertThat(base.without(0)).containsExactly(20, 30, 40);
        assertThat(base.without(3)).containsExactly(10, 20, 30);
        assertThat(base.with(5)).containsExactly(5, 10, 20, 30, 40);
        assertThat(base.with(45)).containsExactly(10, 20, 30, 40, 45);
        assertThat(base.with(25).without(1)).containsExactly(10, 25, 30, 40);
        assertThat(base.without(1).with(25).with(35)).containsExactly(10, 25, 30, 35, 40);
        assertThat(base.without(2).search(30)).isNegative();
        assertThat(base.with(25).search(25)).isEqualTo(2);
        assertThat(base).containsExactly(10, 20, 30, 40);
        assertThatThrownBy(() -> base.without(1).get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void withoutAllNeedsEveryElementPresent() {
        SortedList<Integer> s = SortedList.copyOf(List.of(1, 2, 3));
        assertThatThrownBy(() -> s.withoutAll(List.of(2, 4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.withoutAll(List.of(3, 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
