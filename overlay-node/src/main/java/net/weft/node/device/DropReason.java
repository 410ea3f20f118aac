package net.weft.node.device;

/**
 * Why the device dropped a packet. Every drop on the data plane is counted under exactly one
 * reason ({@link DeviceCounters#drops(DropReason)}); nothing on the packet paths throws.
 */
public enum DropReason {

    // ---- outbound (read from the TUN) ----
    /** The device has no private key: it neither sends nor receives. */
    NO_PRIVATE_KEY,
    /** The packet from the TUN is not a well-formed IPv4 or IPv6 packet. */
    INVALID_OUTBOUND_PACKET,
    /** No peer's allowed IPs contain the destination. */
    NO_ROUTE,
    /** The peer has no endpoint to send to yet. */
    NO_ENDPOINT,
    /** The peer's queue of packets waiting for a handshake was full; the oldest was dropped. */
    STAGED_OVERFLOW,
    /** The handshake did not complete within REKEY_ATTEMPT_TIME; the waiting packets were dropped. */
    STAGED_EXPIRED,

    // ---- inbound (received from the bind) ----
    /** Not a WireGuard message: unknown type, non-zero reserved bytes, or the wrong size. */
    MALFORMED,
    /** A handshake message whose mac1 is wrong (not meant for our public key). */
    INVALID_MAC1,
    /** Under load, a handshake message without a valid mac2: answered with a cookie reply. */
    COOKIE_REQUIRED,
    /** Under load, the source sent handshakes faster than its rate limit. */
    RATE_LIMITED,
    /** A handshake initiation or response that did not authenticate, was replayed or came too fast. */
    INVALID_HANDSHAKE,
    /** A cookie reply that names no handshake of ours or does not decrypt. */
    INVALID_COOKIE_REPLY,
    /** A transport message whose receiver index names no keypair. */
    UNKNOWN_RECEIVER,
    /** A transport message for a keypair older than REJECT_AFTER_TIME. */
    EXPIRED_KEYPAIR,
    /** A transport message that does not authenticate. */
    DECRYPTION_FAILED,
    /** A transport message whose counter was seen before or is too old for the replay window. */
    REPLAYED,
    /** The decrypted packet is not a well-formed IPv4 or IPv6 packet. */
    INVALID_INNER_PACKET,
    /** The decrypted packet's source address is not in the sending peer's allowed IPs. */
    SOURCE_NOT_ALLOWED,
    /** Writing the decrypted packet to the TUN failed. */
    TUN_WRITE_FAILED,

    // ---- forwarding (a decrypted packet for another peer, see Device#setForwarding) ----
    /** The decrypted packet's destination routes back to the peer that sent it. */
    FORWARD_LOOP,
    /** The decrypted packet is longer than the device's MTU, which the tunnel to the next peer carries. */
    FORWARD_TOO_BIG,

    // ---- either way ----
    /**
     * An unexpected exception on a packet path (a bug, or a keypair erased by another thread in
     * the instant it was used); counted and logged at most once a second, never thrown.
     */
    INTERNAL_ERROR
}
