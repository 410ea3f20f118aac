package net.weft.topology.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;

class IpamTest {

    static final IpPrefix V4 = IpPrefix.parse("100.64.0.0/10");
    static final IpPrefix V6 = IpPrefix.parse("fd7a:115c:a1e0::/48");

    static IpPrefix p(String s) {
        return IpPrefix.parse(s);
    }

    @Test
    void allocatesLowestFreeAddressesDeterministically() {
        Ipam ipam = new Ipam(V4, V6);
        assertThat(ipam.allocate("a")).isEqualTo(new Ipam.Allocation(p("100.64.0.1"), p("fd7a:115c:a1e0::1")));
        assertThat(ipam.allocate("b")).isEqualTo(new Ipam.Allocation(p("100.64.0.2"), p("fd7a:115c:a1e0::2")));
        assertThat(ipam.allocate("a")).as("idempotent").isEqualTo(new Ipam.Allocation(p("100.64.0.1"), p("fd7a:115c:a1e0::1")));
        assertThat(ipam.holder(p("100.64.0.2"))).isEqualTo("b");
    }

    @Test
    void releasedAddressesAreReused() {
        Ipam ipam = new Ipam(V4, V6);
        ipam.allocate("a");
        ipam.allocate("b");
        ipam.allocate("c");
        assertThat(ipam.release("b")).isTrue();
        assertThat(ipam.release("b")).isFalse();
        assertThat(ipam.allocate("d").ipv4()).isEqualTo(p("100.64.0.2"));
        assertThat(ipam.allocate("e").ipv4()).isEqualTo(p("100.64.0.4"));
    }

    @Test
    void pinnedAddressesAreHonouredAndSkippedByAutomaticAllocation() {
        Ipam ipam = new Ipam(V4, V6);
        ipam.allocate("relay", p("100.64.0.2"), p("fd7a:115c:a1e0::1"));
        assertThat(ipam.allocate("a")).isEqualTo(new Ipam.Allocation(p("100.64.0.1"), p("fd7a:115c:a1e0::2")));
        assertThat(ipam.allocate("b").ipv4()).isEqualTo(p("100.64.0.3"));
    }

    @Test
    void conflictingPinsAreRejectedWithReasons() {
        Ipam ipam = new Ipam(V4, V6);
        ipam.allocate("a", p("100.64.0.5"), null);
        assertThatThrownBy(() -> ipam.allocate("b", p("100.64.0.5"), null))
                .isInstanceOf(AddressConflictException.class)
                .hasMessage("pinned address 100.64.0.5/32 is already held by node a");
        assertThatThrownBy(() -> ipam.allocate("b", p("192.0.2.1"), null))
                .isInstanceOf(AddressConflictException.class)
                .hasMessage("pinned address 192.0.2.1/32 is outside the pool 100.64.0.0/10");
        assertThatThrownBy(() -> ipam.allocate("b", p("100.64.0.0"), null))
                .hasMessage("pinned address 100.64.0.0/32 is the network address of 100.64.0.0/10");
        assertThatThrownBy(() -> ipam.allocate("b", p("100.127.255.255"), null))
                .hasMessage("pinned address 100.127.255.255/32 is the broadcast address of 100.64.0.0/10");
        assertThatThrownBy(() -> ipam.allocate("b", null, p("fd7a:115c:a1e0:ffff::1")))
                .hasMessage("pinned address fd7a:115c:a1e0:ffff::1/128 lies beyond the usable part of fd7a:115c:a1e0::/48");
        assertThatThrownBy(() -> ipam.allocate("a", p("100.64.0.6"), null))
                .isInstanceOf(AddressConflictException.class);
        assertThat(ipam.get("b")).as("a failed allocation takes nothing").isNull();
    }

    @Test
    void exhaustionIsATypedError() {
        Ipam ipam = new Ipam(p("100.64.0.0/30"), V6);
        ipam.allocate("a");
        ipam.allocate("b");
        assertThatThrownBy(() -> ipam.allocate("c"))
                .isInstanceOfSatisfying(AddressPoolExhaustedException.class, e -> assertThat(e.pool()).isEqualTo(p("100.64.0.0/30")))
                .hasMessage("address pool 100.64.0.0/30 is exhausted: all 2 usable addresses are allocated");
        assertThat(ipam.get("c")).isNull();
        ipam.release("a");
        assertThat(ipam.allocate("c").ipv4()).isEqualTo(p("100.64.0.1"));
    }

    /** Random join and leave sequences: never a duplicate, always within the pool, same result when replayed. */
    @Test
    void randomJoinAndLeaveSequencesNeverDuplicate() {
        for (long seed = 1; seed <= 200; seed++) {
            List<String> first = run(seed);
            assertThat(run(seed)).as("seed %d replays identically", seed).isEqualTo(first);
        }
    }

    private static List<String> run(long seed) {
        Random r = new Random(seed);
        IpPrefix pool = p("100.64.0.0/" + (24 + r.nextInt(5)));
        Ipam ipam = new Ipam(pool, V6);
        List<String> live = new ArrayList<>();
        List<String> trace = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            int action = r.nextInt(10);
            if (action < 6 || live.isEmpty()) {
                String node = "n" + step;
                try {
                    IpPrefix pin = null;
                    if (action == 0) {
                        pin = IpPrefix.host(new byte[]{100, 64, 0, (byte) (1 + r.nextInt(3))});
                    }
                    Ipam.Allocation a = ipam.allocate(node, pin, null);
                    live.add(node);
                    trace.add(node + "=" + a);
                    assertThat(pool.contains(a.ipv4())).as("seed %d", seed).isTrue();
                    if (pin != null) {
                        assertThat(a.ipv4()).as("seed %d pin", seed).isEqualTo(pin);
                    }
                } catch (AddressPoolExhaustedException e) {
                    assertThat(ipam.allocations()).as("seed %d exhausted only when full", seed)
                            .hasSize((1 << (32 - pool.length())) - 2);
                    trace.add("exhausted");
                } catch (AddressConflictException e) {
                    trace.add("conflict");
                }
            } else {
                String node = live.remove(r.nextInt(live.size()));
                assertThat(ipam.release(node)).isTrue();
                trace.add("-" + node);
            }
            Set<IpPrefix> v4 = new HashSet<>();
            Set<IpPrefix> v6 = new HashSet<>();
            for (Ipam.Allocation a : ipam.allocations().values()) {
                assertThat(v4.add(a.ipv4())).as("seed %d step %d: duplicate %s", seed, step, a.ipv4()).isTrue();
                assertThat(v6.add(a.ipv6())).as("seed %d step %d: duplicate %s", seed, step, a.ipv6()).isTrue();
            }
            assertThat(ipam.allocations().keySet()).containsExactlyInAnyOrderElementsOf(live);
        }
        return trace;
    }
}
