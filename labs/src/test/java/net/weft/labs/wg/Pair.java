package net.weft.labs.wg;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The daemons on the two sides of a lab: {@code a} is the first node (the initiator, the side
 * behind NAT, the hub of the allowed-IPs lab), {@code b} the second (and the third node, where a
 * lab has one).
 *
 * <p>Which pairs run: (WEFT, WEFT), (WEFT, GO) and (GO, WEFT) always; (GO, GO), the lab's own
 * control, only with {@code -Dweft.lab.control=true}. {@code -Dweft.lab.pairs=GO-GO,WEFT-GO}
 * narrows that to the pairs it names.
 */
record Pair(Impl a, Impl b) {

    static final String CONTROL_PROPERTY = "weft.lab.control";
    static final String PAIRS_PROPERTY = "weft.lab.pairs";

    static Stream<Pair> selected() {
        boolean control = Boolean.getBoolean(CONTROL_PROPERTY);
        String only = System.getProperty(PAIRS_PROPERTY, "").trim();
        Set<String> wanted = only.isEmpty() ? Set.of()
                : Arrays.stream(only.split(",")).map(s -> s.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        List<Pair> all = List.of(new Pair(Impl.WEFT, Impl.WEFT), new Pair(Impl.WEFT, Impl.GO),
                new Pair(Impl.GO, Impl.WEFT), new Pair(Impl.GO, Impl.GO));
        return all.stream()
                .filter(p -> control || !p.isControl())
                .filter(p -> wanted.isEmpty() || wanted.contains(p.toString()));
    }

    /** wireguard-go on both sides: proves the lab itself, not Weft. */
    boolean isControl() {
        return a == Impl.GO && b == Impl.GO;
    }

    void requireAvailable() {
        a.requireAvailable();
        b.requireAvailable();
    }

    @Override
    public String toString() {
        return a + "-" + b;
    }
}
