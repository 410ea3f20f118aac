package net.weft.topology.trie;

import java.util.Objects;
import java.util.function.BiConsumer;
import net.weft.topology.model.IpPrefix;

/**
 * Longest-prefix match over IPv4 and IPv6 prefixes: a binary trie per family, one level per bit.
 * {@link #lookup(byte[])}, {@link #lookupV4(int)} and {@link #lookupV6(long, long)} walk at most
 * 32 or 128 nodes and allocate nothing, so the data plane may call them per packet.
 *
 * <p>Not thread-safe. The intended use is copy-on-write: the control plane builds a new trie for
 * each network map and publishes it through a volatile field; readers never see it change.
 *
 * @param <V> the value stored per prefix (a peer, for cryptokey routing); never null
 */
public final class PrefixTrie<V> {

    private static final class Node<V> {
        Node<V> zero;
        Node<V> one;
        /** The value of the prefix ending here, or null when no prefix ends here. */
        V value;
    }

    private final Node<V> v4 = new Node<>();
    private final Node<V> v6 = new Node<>();
    private int size;

    /** Stores {@code value} for {@code prefix}; returns the value it replaces, or null. */
    public V put(IpPrefix prefix, V value) {
        Objects.requireNonNull(value, "value");
        Node<V> n = prefix.isIpv4() ? v4 : v6;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.bit(i) == 0) {
                if (n.zero == null) {
                    n.zero = new Node<>();
                }
                n = n.zero;
            } else {
                if (n.one == null) {
                    n.one = new Node<>();
                }
                n = n.one;
            }
        }
        V old = n.value;
        n.value = value;
        if (old == null) {
            size++;
        }
        return old;
    }

    /** The value stored for exactly {@code prefix}, or null. */
    public V get(IpPrefix prefix) {
        Node<V> n = prefix.isIpv4() ? v4 : v6;
        for (int i = 0; i < prefix.length() && n != null; i++) {
            n = prefix.bit(i) == 0 ? n.zero : n.one;
        }
        return n == null ? null : n.value;
    }

    /** Removes exactly {@code prefix} and prunes branches left empty; returns the removed value, or null. */
    public V remove(IpPrefix prefix) {
        @SuppressWarnings("unchecked")
        Node<V>[] path = new Node[prefix.length() + 1];
        Node<V> n = prefix.isIpv4() ? v4 : v6;
        path[0] = n;
        for (int i = 0; i < prefix.length(); i++) {
            n = prefix.bit(i) == 0 ? n.zero : n.one;
            if (n == null) {
                return null;
            }
            path[i + 1] = n;
        }
        V old = n.value;
        if (old == null) {
            return null;
        }
        n.value = null;
        size--;
        for (int i = prefix.length(); i > 0; i--) {
            Node<V> child = path[i];
            if (child.value != null || child.zero != null || child.one != null) {
                break;
            }
            Node<V> parent = path[i - 1];
            if (prefix.bit(i - 1) == 0) {
                parent.zero = null;
            } else {
                parent.one = null;
            }
        }
        return old;
    }

    /** The value of the longest prefix containing {@code address} (4 or 16 bytes), or null. Allocates nothing. */
    public V lookup(byte[] address) {
        if (address.length == 4) {
            return lookupV4((address[0] & 0xff) << 24 | (address[1] & 0xff) << 16 | (address[2] & 0xff) << 8
                    | (address[3] & 0xff));
        }
        if (address.length != 16) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (address[i] & 0xff);
            lo = lo << 8 | (address[i + 8] & 0xff);
        }
        return lookupV6(hi, lo);
    }

    /** The value of the longest IPv4 prefix containing {@code address} (big-endian int), or null. Allocates nothing. */
    public V lookupV4(int address) {
        Node<V> n = v4;
        V best = n.value;
        for (int i = 31; i >= 0; i--) {
            n = ((address >>> i) & 1) == 0 ? n.zero : n.one;
            if (n == null) {
                return best;
            }
            if (n.value != null) {
                best = n.value;
            }
        }
        return best;
    }

    /** The value of the longest IPv6 prefix containing the address {@code hi:lo}, or null. Allocates nothing. */
    public V lookupV6(long hi, long lo) {
        Node<V> n = v6;
        V best = n.value;
        for (int i = 0; i < 128; i++) {
            long word = i < 64 ? hi : lo;
            int bit = (int) (word >>> (63 - (i & 63))) & 1;
            n = bit == 0 ? n.zero : n.one;
            if (n == null) {
                return best;
            }
            if (n.value != null) {
                best = n.value;
            }
        }
        return best;
    }

    /** The number of prefixes stored. */
    public int size() {
        return size;
    }

    /** Calls {@code action} for every stored prefix, IPv4 first, in address order. */
    public void forEach(BiConsumer<IpPrefix, V> action) {
        walk(v4, new byte[4], 0, action);
        walk(v6, new byte[16], 0, action);
    }

    private void walk(Node<V> n, byte[] bits, int depth, BiConsumer<IpPrefix, V> action) {
        if (n.value != null) {
            action.accept(IpPrefix.ofMasked(bits, depth), n.value);
        }
        if (n.zero != null) {
            walk(n.zero, bits, depth + 1, action);
        }
        if (n.one != null) {
            bits[depth >>> 3] |= (byte) (0x80 >>> (depth & 7));
            walk(n.one, bits, depth + 1, action);
            bits[depth >>> 3] &= (byte) ~(0x80 >>> (depth & 7));
        }
    }
}
