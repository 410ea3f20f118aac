package net.weft.node.device;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.trie.PrefixTrie;

/**
 * Cryptokey routing: which peer owns which prefixes. Outbound, the longest prefix containing a
 * packet's destination picks the peer; inbound, a decrypted packet's source must route back to
 * the peer that sent it (the source check).
 *
 * <p>Copy-on-write: configuration changes (under the device's config lock) edit {@link #owner}
 * and each peer's ordered set, then {@link #publish()} builds a new {@link PrefixTrie} and
 * publishes it through a volatile field. The packet paths read the published trie without locking
 * and without allocating.
 */
final class AllowedIps {

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Every prefix and its peer; guarded by the device's config lock. */
    private final Map<IpPrefix, Peer> owner = new HashMap<>();
    private volatile PrefixTrie<Peer> trie = new PrefixTrie<>();

    /** Gives {@code prefix} to {@code peer}, taking it from any other peer. Config lock held. */
    void add(Peer peer, IpPrefix prefix) {
        Peer previous = owner.put(prefix, peer);
        if (previous != null && previous != peer) {
            previous.allowedIps.remove(prefix);
        }
        peer.allowedIps.add(prefix);
    }

    /** Removes every prefix of {@code peer}. Config lock held. */
    void removeAll(Peer peer) {
        for (IpPrefix p : peer.allowedIps) {
            owner.remove(p, peer);
        }
        peer.allowedIps.clear();
    }

    /** Publishes the current assignment to the packet paths. Config lock held. */
    void publish() {
        PrefixTrie<Peer> t = new PrefixTrie<>();
        for (Map.Entry<IpPrefix, Peer> e : owner.entrySet()) {
            t.put(e.getKey(), e.getValue());
        }
        trie = t;
    }

    /**
     * The peer for the destination of the IP packet at {@code b[off..off+len)}, or null when no
     * prefix matches. The caller checked the version and minimum header length.
     */
    Peer lookupDestination(byte[] b, int off, int version) {
        if (version == 4) {
            return trie.lookupV4((int) INT_BE.get(b, off + 16));
        }
        return trie.lookupV6((long) LONG_BE.get(b, off + 24), (long) LONG_BE.get(b, off + 32));
    }

    /** The peer whose allowed IPs contain the source of the IP packet at {@code b[off..)}, or null. */
    Peer lookupSource(byte[] b, int off, int version) {
        if (version == 4) {
            return trie.lookupV4((int) INT_BE.get(b, off + 12));
        }
        return trie.lookupV6((long) LONG_BE.get(b, off + 8), (long) LONG_BE.get(b, off + 16));
    }
}
