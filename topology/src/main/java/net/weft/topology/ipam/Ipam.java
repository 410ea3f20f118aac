package net.weft.topology.ipam;

import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import net.weft.topology.model.IpPrefix;

/**
 * Allocates one IPv4 and one IPv6 overlay address per node. The address handed out is always the
 * lowest free one of the pool, so the same sequence of allocations and releases gives the same
 * addresses on every coordinator member. In IPv4 the network and broadcast addresses are never
 * handed out; in IPv6 the subnet-router anycast address (offset 0) is not.
 *
 * <p>Not thread-safe: one owner (the coordinator's membership service) mutates it.
 */
public final class Ipam {

    /** The addresses of one node. */
    public record Allocation(IpPrefix ipv4, IpPrefix ipv6) {
        /** Both addresses, IPv4 first. */
        public List<IpPrefix> addresses() {
            return List.of(ipv4, ipv6);
        }
    }

    private final Pool v4;
    private final Pool v6;
    /** Allocations by node id; sorted so iteration is deterministic. */
    private final SortedMap<String, Allocation> byNode = new TreeMap<>();

    public Ipam(IpPrefix ipv4Pool, IpPrefix ipv6Pool) {
        if (!ipv4Pool.isIpv4() || !ipv6Pool.isIpv6()) {
            throw new IllegalArgumentException("want an IPv4 and an IPv6 pool, got " + ipv4Pool + " and " + ipv6Pool);
        }
        this.v4 = new Pool(ipv4Pool);
        this.v6 = new Pool(ipv6Pool);
    }

    /**
     * The addresses of {@code nodeId}: its existing allocation, or the lowest free address of each pool.
     *
     * @throws AddressPoolExhaustedException when a pool has no free address (nothing is allocated then)
     */
    public Allocation allocate(String nodeId) {
        return allocate(nodeId, null, null);
    }

    /**
     * The addresses of {@code nodeId}, using {@code pinnedV4} and {@code pinnedV6} where given (null:
     * the lowest free). A node that already has addresses keeps them when the pins match or are absent.
     *
     * @throws AddressConflictException      when a pin is outside its pool, unusable, held by another node,
     *                                       or differs from the node's existing address
     * @throws AddressPoolExhaustedException when a pool has no free address
     */
    public Allocation allocate(String nodeId, IpPrefix pinnedV4, IpPrefix pinnedV6) {
        Objects.requireNonNull(nodeId, "nodeId");
        Allocation existing = byNode.get(nodeId);
        if (existing != null) {
            if ((pinnedV4 != null && !pinnedV4.equals(existing.ipv4()))
                    || (pinnedV6 != null && !pinnedV6.equals(existing.ipv6()))) {
                throw new AddressConflictException("node " + nodeId + " already holds " + existing.ipv4() + " and "
                        + existing.ipv6() + "; release it before pinning other addresses");
            }
            return existing;
        }
        long o4 = pinnedV4 == null ? -1 : v4.checkPin(pinnedV4);
        long o6 = pinnedV6 == null ? -1 : v6.checkPin(pinnedV6);
        if (o4 < 0) {
            o4 = v4.lowestFree();
        }
        if (o6 < 0) {
            o6 = v6.lowestFree();
        }
        v4.take(o4, nodeId);
        v6.take(o6, nodeId);
        Allocation a = new Allocation(v4.address(o4), v6.address(o6));
        byNode.put(nodeId, a);
        return a;
    }

    /** Frees the addresses of {@code nodeId}; they become the next to be handed out. Returns false when it had none. */
    public boolean release(String nodeId) {
        Allocation a = byNode.remove(nodeId);
        if (a == null) {
            return false;
        }
        v4.free(v4.offset(a.ipv4()));
        v6.free(v6.offset(a.ipv6()));
        return true;
    }

    /** The addresses of {@code nodeId}, or null. */
    public Allocation get(String nodeId) {
        return byNode.get(nodeId);
    }

    /** Every allocation, by node id. */
    public SortedMap<String, Allocation> allocations() {
        return Collections.unmodifiableSortedMap(byNode);
    }

    /** The node holding {@code address}, or null. */
    public String holder(IpPrefix address) {
        Pool p = address.isIpv4() ? v4 : v6;
        if (!p.prefix.contains(address) || !address.isHost()) {
            return null;
        }
        return p.owners.get(p.offset(address));
    }

    /** One address pool: offsets from the prefix's network address, which fit a long (IPv6 pools use the low 62 bits). */
    private static final class Pool {
        final IpPrefix prefix;
        final byte[] base;
        final long first;
        final long last;
        /** Owner by offset, for taken offsets only. */
        final Map<Long, String> owners = new HashMap<>();
        /** Every offset below this one is taken. */
        long lowestMaybeFree;

        Pool(IpPrefix prefix) {
            this.prefix = prefix;
            this.base = prefix.address();
            int hostBits = prefix.bits() - prefix.length();
            long size = hostBits >= 62 ? 1L << 62 : 1L << hostBits;
            if (prefix.isIpv4()) {
                if (hostBits < 2) {
                    throw new IllegalArgumentException("IPv4 pool " + prefix + " has no usable addresses");
                }
                first = 1;
                last = size - 2;
            } else {
                if (hostBits < 1) {
                    throw new IllegalArgumentException("IPv6 pool " + prefix + " has no usable addresses");
                }
                first = 1;
                last = size - 1;
            }
            lowestMaybeFree = first;
        }

        long capacity() {
            return last - first + 1;
        }

        long lowestFree() {
            long o = lowestMaybeFree;
            while (o <= last && owners.containsKey(o)) {
                o++;
            }
            lowestMaybeFree = o;
            if (o > last) {
                throw new AddressPoolExhaustedException(prefix, capacity());
            }
            return o;
        }

        long checkPin(IpPrefix pin) {
            if (!pin.isHost() || pin.isIpv4() != prefix.isIpv4() || !prefix.contains(pin)) {
                throw new AddressConflictException("pinned address " + pin + " is outside the pool " + prefix);
            }
            long o = offset(pin);
            if (o < first || o > last) {
                String what = o == 0 ? "is the network address of "
                        : prefix.isIpv4() && o == last + 1 ? "is the broadcast address of " : "lies beyond the usable part of ";
                throw new AddressConflictException("pinned address " + pin + " " + what + prefix);
            }
            String owner = owners.get(o);
            if (owner != null) {
                throw new AddressConflictException("pinned address " + pin + " is already held by node " + owner);
            }
            return o;
        }

        void take(long o, String node) {
            owners.put(o, node);
        }

        void free(long o) {
            owners.remove(o);
            lowestMaybeFree = Math.min(lowestMaybeFree, o);
        }

        long offset(IpPrefix address) {
            BigInteger o = new BigInteger(1, address.address()).subtract(new BigInteger(1, base));
            return o.bitLength() > 62 ? Long.MAX_VALUE : o.longValue();
        }

        IpPrefix address(long offset) {
            byte[] a = base.clone();
            long carry = offset;
            for (int i = a.length - 1; i >= 0 && carry != 0; i--) {
                long sum = (a[i] & 0xff) + (carry & 0xff);
                a[i] = (byte) sum;
                carry = (carry >>> 8) + (sum >>> 8);
            }
            return IpPrefix.host(a);
        }
    }
}
