package net.weft.topology.model;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list kept strictly increasing in one order (so without duplicates): the form every
 * sorted list in the model, the maps and the deltas takes. A list is checked, or sorted, once when it is
 * made from outside ({@link #copyOf}); lists derived from it ({@link #with}, {@link #without},
 * {@link #withAll}, {@link #withoutAll}) are increasing by construction and are not checked again, and
 * {@link #copyOf} returns a {@code SortedList} of the same order as it is. That keeps assembling a
 * network map from shared, already sorted parts linear in its size, with no comparisons.
 *
 * @param <T> the element type
 */
public final class SortedList<T> extends AbstractList<T> implements RandomAccess {

    private static final SortedList<?> EMPTY_NATURAL = new SortedList<>(new Object[0], Comparator.naturalOrder());

    /**
     * The elements, or the elements of the list this one was derived from by one {@link #without} or
     * {@link #with}: then this list shares that list's array, so that a map made of a shared peer list
     * less one peer costs a few bytes, not a copy. Never written after construction, never handed out.
     */
    private final Object[] base;
    /** Index in {@link #base} of the element this list leaves out, or -1. */
    private final int removed;
    /** Index in this list of {@link #inserted}, which {@link #base} lacks, or -1. */
    private final int insertedAt;
    private final Object inserted;
    private final int size;
    private final Comparator<? super T> order;

    private SortedList(Object[] elements, Comparator<? super T> order) {
        this(elements, -1, -1, null, order);
    }

    private SortedList(Object[] base, int removed, int insertedAt, Object inserted, Comparator<? super T> order) {
        this.base = base;
        this.removed = removed;
        this.insertedAt = insertedAt;
        this.inserted = inserted;
        this.size = base.length - (removed >= 0 ? 1 : 0) + (insertedAt >= 0 ? 1 : 0);
        this.order = order;
    }

    /** The empty list in natural order. */
    @SuppressWarnings("unchecked")
    public static <T extends Comparable<? super T>> SortedList<T> of() {
        return (SortedList<T>) EMPTY_NATURAL;
    }

    /** {@code items} in their natural order, duplicates dropped. */
    public static <T extends Comparable<? super T>> SortedList<T> copyOf(Collection<? extends T> items) {
        return copyOf(items, Comparator.naturalOrder());
    }

    /**
     * {@code items} in {@code order}, elements that compare equal to an earlier one dropped. A
     * {@code SortedList} in the same order (the same comparator instance) is returned as it is; other
     * input that is already strictly increasing is copied without sorting.
     *
     * @throws NullPointerException on a null element
     */
    @SuppressWarnings("unchecked")
    public static <T> SortedList<T> copyOf(Collection<? extends T> items, Comparator<? super T> order) {
        Objects.requireNonNull(order, "order");
        if (items instanceof SortedList<?> s && s.order == order) {
            return (SortedList<T>) s;
        }
        Object[] a = items.toArray();
        for (Object o : a) {
            Objects.requireNonNull(o, "element");
        }
        if (!isStrictlyIncreasing(a, (Comparator<Object>) order)) {
            Arrays.sort(a, (Comparator<Object>) order);
            int n = 0;
            for (Object o : a) {
                if (n == 0 || ((Comparator<Object>) order).compare(a[n - 1], o) != 0) {
                    a[n++] = o;
                }
            }
            a = Arrays.copyOf(a, n);
        }
        if (a.length == 0 && order == Comparator.naturalOrder()) {
            return (SortedList<T>) EMPTY_NATURAL;
        }
        return new SortedList<>(a, order);
    }

    /** True when every element of {@code list} sorts after the one before it. */
    public static <T> boolean isStrictlyIncreasing(List<? extends T> list, Comparator<? super T> order) {
        if (list instanceof SortedList<?> s && s.order == order) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Comparator<Object> o = (Comparator<Object>) order;
        return isStrictlyIncreasing(list.toArray(), o);
    }

    private static boolean isStrictlyIncreasing(Object[] a, Comparator<Object> order) {
        for (int i = 1; i < a.length; i++) {
            if (order.compare(a[i - 1], a[i]) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The order this list is increasing in. */
    public Comparator<? super T> order() {
        return order;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        Objects.checkIndex(index, size);
        int i = index;
        if (insertedAt >= 0) {
            if (i == insertedAt) {
                return (T) inserted;
            }
            if (i > insertedAt) {
                i--;
            }
        }
        if (removed >= 0 && i >= removed) {
            i++;
        }
        return (T) base[i];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        if (removed < 0 && insertedAt < 0) {
            return base.clone();
        }
        Object[] out = new Object[size];
        if (removed >= 0) { // base less one: two runs
            System.arraycopy(base, 0, out, 0, removed);
            System.arraycopy(base, removed + 1, out, removed, base.length - removed - 1);
        } else {
            System.arraycopy(base, 0, out, 0, base.length);
        }
        if (insertedAt >= 0) { // open a slot and put the inserted element in it
            System.arraycopy(out, insertedAt, out, insertedAt + 1, size - 1 - insertedAt);
            out[insertedAt] = inserted;
        }
        return out;
    }

    /** The elements in a plain array: {@link #base} itself when this list is not derived by one edit. */
    private Object[] elements() {
        return removed < 0 && insertedAt < 0 ? base : toArray();
    }

    /** This list with its elements in an array of its own, so that lists derived from it by one edit share that array. */
    public SortedList<T> flat() {
        return removed < 0 && insertedAt < 0 ? this : new SortedList<>(toArray(), order);
    }

    /** The index of {@code key}, or {@code -(insertion point) - 1} as {@link Arrays#binarySearch} answers. */
    public int search(T key) {
        return Collections.binarySearch(this, key, order);
    }

    /**
     * This list with {@code x} inserted where it belongs. Shares this list's elements when this list is
     * not itself derived by one edit.
     *
     * @throws IllegalArgumentException when an equal element is already here
     */
    public SortedList<T> with(T x) {
        Objects.requireNonNull(x, "element");
        int at = search(x);
        if (at >= 0) {
            throw new IllegalArgumentException(x + " is already in the list");
        }
        return new SortedList<>(elements(), -1, -at - 1, x, order);
    }

    /** This list without the element at {@code index}. Shares this list's elements when this list is not itself derived by one edit. */
    public SortedList<T> without(int index) {
        Objects.checkIndex(index, size);
        return new SortedList<>(elements(), index, -1, null, order);
    }

    /**
     * This list with every element of {@code add} inserted (a new array).
     *
     * @throws IllegalArgumentException when one of them is already here
     */
    @SuppressWarnings("unchecked")
    public SortedList<T> withAll(Collection<? extends T> add) {
        if (add.isEmpty()) {
            return this;
        }
        Object[] out = elements();
        for (T x : add) {
            Objects.requireNonNull(x, "element");
            int at = Arrays.binarySearch(out, x, (Comparator<Object>) order);
            if (at >= 0) {
                throw new IllegalArgumentException(x + " is already in the list");
            }
            at = -at - 1;
            Object[] grown = new Object[out.length + 1];
            System.arraycopy(out, 0, grown, 0, at);
            grown[at] = x;
            System.arraycopy(out, at, grown, at + 1, out.length - at);
            out = grown;
        }
        return new SortedList<>(out, order);
    }

    /**
     * This list without the elements of {@code remove}, which must all be in it and sorted in this order
     * (each is found by binary search after the previous one; the gaps between are copied into a new array).
     *
     * @throws IllegalArgumentException when one of them is missing or they are out of order
     */
    @SuppressWarnings("unchecked")
    public SortedList<T> withoutAll(List<? extends T> remove) {
        Object[] elements = elements();
        int[] at = new int[remove.size()];
        int from = 0;
        int k = 0;
        for (T x : remove) {
            int i = Arrays.binarySearch(elements, from, elements.length, x, (Comparator<Object>) order);
            if (i < 0) {
                throw new IllegalArgumentException(x + " is not in the list (or not in order)");
            }
            at[k++] = i;
            from = i + 1;
        }
        Object[] out = new Object[elements.length - at.length];
        from = 0;
        int to = 0;
        for (int i : at) {
            System.arraycopy(elements, from, out, to, i - from);
            to += i - from;
            from = i + 1;
        }
        System.arraycopy(elements, from, out, to, elements.length - from);
        return new SortedList<>(out, order);
    }
}
