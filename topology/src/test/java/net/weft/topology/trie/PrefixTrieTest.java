package net.weft.topology.trie;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;

class PrefixTrieTest {

    static IpPrefix p(String s) {
        return IpPrefix.parse(s);
    }

    @Test
    void longestPrefixWins() {
        PrefixTrie<String> t = new PrefixTrie<>();
        t.put(p("100.64.0.0/10"), "overlay");
        t.put(p("100.64.1.0/24"), "relay");
        t.put(p("100.64.1.7/32"), "node");
        t.put(p("fd7a:115c:a1e0::/48"), "overlay6");
        t.put(p("fd7a:115c:a1e0::7/128"), "node6");

        assertThat(t.lookup(p("100.64.1.7").address())).isEqualTo("node");
        assertThat(t.lookup(p("100.64.1.8").address())).isEqualTo("relay");
        assertThat(t.lookup(p("100.100.0.1").address())).isEqualTo("overlay");
        assertThat(t.lookup(p("198.18.0.1").address())).isNull();
        assertThat(t.lookup(p("fd7a:115c:a1e0::7").address())).isEqualTo("node6");
        assertThat(t.lookup(p("fd7a:115c:a1e0::8").address())).isEqualTo("overlay6");
        assertThat(t.lookup(p("2001:db8::1").address())).isNull();
        assertThat(t.lookupV4(0x64400107)).isEqualTo("node");
        assertThat(t.lookupV6(0xfd7a115ca1e00000L, 7L)).isEqualTo("node6");
        assertThat(t.size()).isEqualTo(5);
    }

    @Test
    void removeRestoresShorterMatchAndDefaultRoutesWork() {
        PrefixTrie<String> t = new PrefixTrie<>();
        t.put(p("0.0.0.0/0"), "default");
        t.put(p("198.18.0.0/24"), "vpc");
        assertThat(t.lookup(p("198.18.0.9").address())).isEqualTo("vpc");
        assertThat(t.remove(p("198.18.0.0/24"))).isEqualTo("vpc");
        assertThat(t.remove(p("198.18.0.0/24"))).isNull();
        assertThat(t.remove(p("198.18.0.0/16"))).isNull();
        assertThat(t.lookup(p("198.18.0.9").address())).isEqualTo("default");
        assertThat(t.put(p("0.0.0.0/0"), "other")).isEqualTo("default");
        assertThat(t.get(p("0.0.0.0/0"))).isEqualTo("other");
        assertThat(t.size()).isEqualTo(1);
    }

    /** Random prefixes and addresses, IPv4 and IPv6, against a linear scan, through inserts and removals. */
    @Test
    void agreesWithLinearScan() {
        for (long seed = 1; seed <= 60; seed++) {
            Random r = new Random(seed);
            boolean v6 = seed % 2 == 0;
            PrefixTrie<Integer> trie = new PrefixTrie<>();
            Map<IpPrefix, Integer> reference = new LinkedHashMap<>();
            // a small common stem makes nesting and near misses likely
            byte[] stem = randomAddress(r, v6);
            for (int op = 0; op < 600; op++) {
                IpPrefix prefix = IpPrefix.ofMasked(mutate(r, stem), r.nextInt(v6 ? 129 : 33));
                if (r.nextInt(4) == 0 && !reference.isEmpty()) {
                    IpPrefix victim = new ArrayList<>(reference.keySet()).get(r.nextInt(reference.size()));
                    assertThat(trie.remove(victim)).as("seed %d", seed).isEqualTo(reference.remove(victim));
                } else {
                    assertThat(trie.put(prefix, op)).as("seed %d", seed).isEqualTo(reference.put(prefix, op));
                }
                byte[] addr = mutate(r, stem);
                assertThat(trie.lookup(addr)).as("seed %d op %d %s", seed, op, IpPrefix.host(addr))
                        .isEqualTo(linearScan(reference, addr));
            }
            assertThat(trie.size()).isEqualTo(reference.size());
            List<IpPrefix> walked = new ArrayList<>();
            trie.forEach((k, v) -> walked.add(k));
            assertThat(walked).as("seed %d", seed).containsExactlyElementsOf(reference.keySet().stream().sorted().toList());
        }
    }

    private static byte[] randomAddress(Random r, boolean v6) {
        byte[] a = new byte[v6 ? 16 : 4];
        r.nextBytes(a);
        return a;
    }

    /** {@code stem} with a random suffix: keeps a random number of leading bits. */
    private static byte[] mutate(Random r, byte[] stem) {
        byte[] a = stem.clone();
        int keep = r.nextInt(a.length * 8 + 1);
        for (int i = keep; i < a.length * 8; i++) {
            if (r.nextBoolean()) {
                a[i >>> 3] ^= (byte) (0x80 >>> (i & 7));
            }
        }
        return a;
    }

    private static Integer linearScan(Map<IpPrefix, Integer> table, byte[] addr) {
        IpPrefix best = null;
        for (IpPrefix p : table.keySet()) {
            if (p.containsAddress(addr) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best == null ? null : table.get(best);
    }

    /** Lookups allocate nothing: measured with the thread's allocation counter over a million lookups. */
    @Test
    void lookupAllocatesNothing() {
        PrefixTrie<String> t = new PrefixTrie<>();
        Random r = new Random(3);
        byte[][] v4 = new byte[1024][];
        byte[][] v6 = new byte[1024][];
        for (int i = 0; i < 1024; i++) {
            v4[i] = new byte[4];
            v6[i] = new byte[16];
            r.nextBytes(v4[i]);
            r.nextBytes(v6[i]);
            t.put(IpPrefix.ofMasked(v4[i], 16 + r.nextInt(17)), "v4-" + i);
            t.put(IpPrefix.ofMasked(v6[i], 48 + r.nextInt(81)), "v6-" + i);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int lookups = 1_000_000;
        long hits = 0;
        // warm up so the JIT has compiled the loop before measuring
        for (int round = 0; round < 3; round++) {
            hits += run(t, v4, v6, lookups);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        hits += run(t, v4, v6, lookups);
        long after = mx.getThreadAllocatedBytes(tid);
        assertThat(hits).isPositive();
        double perLookup = (after - before) / (double) (4 * lookups);
        assertThat(perLookup).as("bytes allocated per lookup").isLessThan(0.01);
    }

    private static long run(PrefixTrie<String> t, byte[][] v4, byte[][] v6, int n) {
        long hits = 0;
        for (int i = 0; i < n; i++) {
            byte[] a = v4[i & 1023];
            byte[] b = v6[i & 1023];
            if (t.lookup(a) != null) {
                hits++;
            }
            if (t.lookup(b) != null) {
                hits++;
            }
            if (t.lookupV4(i * 0x9E3779B9) != null) {
                hits++;
            }
            if (t.lookupV6(0x9E3779B97F4A7C15L * i, i) != null) {
                hits++;
            }
        }
        return hits;
    }
}
