/**
 * A longest-prefix-match table for IPv4 and IPv6, {@link net.weft.topology.trie.PrefixTrie}: the
 * structure behind cryptokey routing (which peer owns a destination address). Lookups allocate
 * nothing, and a test measures it.
 */
package net.weft.topology.trie;
