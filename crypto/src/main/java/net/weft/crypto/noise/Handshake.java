package net.weft.crypto.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Function;
import net.weft.crypto.Clock;
import net.weft.crypto.Protocol;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PublicKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.primitive.InvalidSharedSecretException;
import net.weft.crypto.primitive.SymmetricKey;
import net.weft.crypto.primitive.Tai64n;
import net.weft.crypto.primitive.X25519;

/**
 * WireGuard's handshake with one peer (whitepaper section 5.4): creates and consumes initiation
 * and response messages in place in caller-supplied buffers, checks that an initiation's
 * timestamp is strictly newer than the last one accepted from this peer and that initiations
 * arrive at most once per {@link Protocol#HANDSHAKE_INITIATION_RATE}, and derives the transport
 * {@link Keypair}.
 *
 * <p>mac1 and mac2 are not this class's business: {@code cookie.CookieGenerator} adds them after
 * a message is created and {@code cookie.CookieChecker} verifies them before one is consumed.
 *
 * <p>Not thread-safe: the owner of the peer serialises calls (the node holds the peer's
 * handshake lock). A message that fails any check changes nothing.
 */
public final class Handshake {

    /** Where this handshake stands. */
    public enum State {
        /** Nothing in flight. */
        ZEROED,
        /** We sent an initiation and wait for the response. */
        INITIATION_CREATED,
        /** We accepted an initiation and owe a response. */
        INITIATION_CONSUMED,
        /** We sent the response; the keypair may be derived. */
        RESPONSE_CREATED,
        /** We accepted the response; the keypair may be derived. */
        RESPONSE_CONSUMED
    }

    private static final long INITIATION_RATE_NANOS = Protocol.HANDSHAKE_INITIATION_RATE.toNanos();
    private static final byte[] EMPTY = new byte[0];

    private final LocalIdentity local;
    private final PublicKey remoteStatic;
    private final Clock clock;
    private final SecureRandom random;
    private PresharedKey presharedKey;

    private State state = State.ZEROED;
    private NoiseIKpsk2 noise;
    private int localIndex;
    private int remoteIndex;
    /** The newest initiation timestamp accepted from this peer; replays must be newer. */
    private final byte[] lastTimestamp = new byte[Tai64n.LENGTH];
    private long lastInitiationConsumption;
    private boolean initiationConsumedBefore;

    public Handshake(LocalIdentity local, PublicKey remoteStatic, PresharedKey presharedKey, Clock clock, SecureRandom random) {
        this.local = local;
        this.remoteStatic = remoteStatic;
        this.presharedKey = presharedKey == null ? PresharedKey.none() : presharedKey;
        this.clock = clock;
        this.random = random;
    }

    public PublicKey remoteStatic() {
        return remoteStatic;
    }

    public State state() {
        return state;
    }

    /** Our index for the handshake in flight (the sender index we put in our message). */
    public int localIndex() {
        return localIndex;
    }

    /** The peer's index for the handshake in flight. */
    public int remoteIndex() {
        return remoteIndex;
    }

    /** Replaces the preshared key (the UAPI may change it at any time). */
    public void presharedKey(PresharedKey psk) {
        this.presharedKey = psk == null ? PresharedKey.none() : psk;
    }

    /** Forgets any handshake in flight (keeps the replay and flood state). */
    public void clear() {
        if (noise != null) {
            noise.destroy();
        }
        noise = null;
        state = State.ZEROED;
    }

    // ---- initiator ------------------------------------------------------------------------------

    /**
     * Writes a 148-byte initiation with sender index {@code localIndex} to {@code out[off..)}; mac1
     * and mac2 are left zero for the cookie generator. Returns {@code false} (and writes nothing
     * meaningful) when the peer's public key is a low-order point.
     */
    public boolean createInitiation(int localIndex, byte[] out, int off) {
        clear();
        NoiseIKpsk2 n = NoiseIKpsk2.wireGuard();
        byte[] ephemeral = new byte[NoiseIKpsk2.KEY_LENGTH];
        X25519.generatePrivateKey(random, ephemeral);
        byte[] timestamp = new byte[Tai64n.LENGTH];
        Tai64n.write(clock.now(), timestamp, 0);
        Messages.writeHeader(out, off, Messages.TYPE_INITIATION);
        Messages.writeInt(out, off + Messages.INITIATION_SENDER, localIndex);
        try {
            n.writeMessageA(local.privateKey(), remoteStatic, ephemeral, timestamp, 0, Tai64n.LENGTH,
                    out, off + Messages.INITIATION_EPHEMERAL);
        } catch (InvalidSharedSecretException e) {
            n.destroy();
            return false;
        } finally {
            Arrays.fill(ephemeral, (byte) 0);
        }
        Arrays.fill(out, off + Messages.INITIATION_MAC1, off + Messages.INITIATION_SIZE, (byte) 0);
        this.noise = n;
        this.localIndex = localIndex;
        this.state = State.INITIATION_CREATED;
        return true;
    }

    /**
     * Consumes a response in {@code msg[off..off+92)} (already classified and mac-checked) that
     * answers our initiation. Returns {@code false}, changing nothing, when it is not for the
     * initiation in flight, does not authenticate, or the array ends before those 92 bytes.
     */
    public boolean consumeResponse(byte[] msg, int off) {
        if (state != State.INITIATION_CREATED || off < 0 || msg.length - off < Messages.RESPONSE_SIZE
                || Messages.readInt(msg, off + Messages.RESPONSE_RECEIVER) != localIndex) {
            return false;
        }
        NoiseIKpsk2 n = noise.copy();
        int payload = n.readMessageB(local.privateKey(), presharedKey, msg, off + Messages.RESPONSE_EPHEMERAL,
                Messages.RESPONSE_NOISE_LENGTH, EMPTY);
        if (payload != 0) {
            n.destroy();
            return false;
        }
        noise.destroy();
        noise = n;
        remoteIndex = Messages.readInt(msg, off + Messages.RESPONSE_SENDER);
        state = State.RESPONSE_CONSUMED;
        return true;
    }

    // ---- responder ------------------------------------------------------------------------------

    /**
     * Consumes an initiation in {@code msg[off..off+148)} (already classified and mac-checked):
     * decrypts the initiator's static key, finds its handshake through {@code peers}, and checks
     * the timestamp and the initiation rate. Returns that peer's handshake, now owing a response,
     * or {@code null} when the message does not authenticate, names an unknown peer, replays an
     * old timestamp, comes too soon after the previous one, or the array ends before 148 bytes.
     */
    public static Handshake consumeInitiation(LocalIdentity local, byte[] msg, int off,
                                              Function<PublicKey, Handshake> peers) {
        if (off < 0 || msg.length - off < Messages.INITIATION_SIZE) {
            return null;
        }
        NoiseIKpsk2 n = NoiseIKpsk2.wireGuard();
        byte[] timestamp = new byte[Tai64n.LENGTH];
        int payload = n.readMessageA(local.privateKey(), msg, off + Messages.INITIATION_EPHEMERAL,
                Messages.INITIATION_NOISE_LENGTH, timestamp);
        if (payload != Tai64n.LENGTH) {
            n.destroy();
            return null;
        }
        Handshake peer = peers.apply(n.remoteStatic());
        if (peer == null || !peer.acceptInitiation(n, timestamp, Messages.readInt(msg, off + Messages.INITIATION_SENDER))) {
            n.destroy();
            return null;
        }
        return peer;
    }

    private boolean acceptInitiation(NoiseIKpsk2 n, byte[] timestamp, int senderIndex) {
        if (!Tai64n.isAfter(timestamp, lastTimestamp)) {
            return false;
        }
        long now = clock.nanoTime();
        if (initiationConsumedBefore && now - lastInitiationConsumption <= INITIATION_RATE_NANOS) {
            return false;
        }
        clear();
        noise = n;
        remoteIndex = senderIndex;
        System.arraycopy(timestamp, 0, lastTimestamp, 0, Tai64n.LENGTH);
        lastInitiationConsumption = now;
        initiationConsumedBefore = true;
        state = State.INITIATION_CONSUMED;
        return true;
    }

    /**
     * Writes a 92-byte response with sender index {@code localIndex} to {@code out[off..)}, mac1
     * and mac2 left zero. Returns {@code false} when no initiation is waiting for a response.
     */
    public boolean createResponse(int localIndex, byte[] out, int off) {
        if (state != State.INITIATION_CONSUMED) {
            return false;
        }
        byte[] ephemeral = new byte[NoiseIKpsk2.KEY_LENGTH];
        X25519.generatePrivateKey(random, ephemeral);
        Messages.writeHeader(out, off, Messages.TYPE_RESPONSE);
        Messages.writeInt(out, off + Messages.RESPONSE_SENDER, localIndex);
        Messages.writeInt(out, off + Messages.RESPONSE_RECEIVER, remoteIndex);
        try {
            noise.writeMessageB(ephemeral, presharedKey, EMPTY, 0, 0, out, off + Messages.RESPONSE_EPHEMERAL);
        } catch (InvalidSharedSecretException e) {
            clear();
            return false;
        } finally {
            Arrays.fill(ephemeral, (byte) 0);
        }
        Arrays.fill(out, off + Messages.RESPONSE_MAC1, off + Messages.RESPONSE_SIZE, (byte) 0);
        this.localIndex = localIndex;
        state = State.RESPONSE_CREATED;
        return true;
    }

    // ---- both -----------------------------------------------------------------------------------

    /**
     * Derives the transport keypair once the handshake is complete (we created or consumed the
     * response) and returns to {@link State#ZEROED}, erasing the handshake secrets. Returns
     * {@code null} when the handshake is not complete.
     */
    public Keypair deriveKeypair() {
        boolean initiator;
        if (state == State.RESPONSE_CONSUMED) {
            initiator = true;
        } else if (state == State.RESPONSE_CREATED) {
            initiator = false;
        } else {
            return null;
        }
        byte[] first = new byte[NoiseIKpsk2.KEY_LENGTH];
        byte[] second = new byte[NoiseIKpsk2.KEY_LENGTH];
        noise.split(first, second);
        SymmetricKey send = new SymmetricKey(initiator ? first : second);
        SymmetricKey receive = new SymmetricKey(initiator ? second : first);
        Arrays.fill(first, (byte) 0);
        Arrays.fill(second, (byte) 0);
        Keypair keypair = new Keypair(send, receive, initiator, localIndex, remoteIndex, clock.nanoTime());
        noise = null;
        state = State.ZEROED;
        return keypair;
    }

    @Override
    public String toString() {
        return "Handshake(" + remoteStatic + ", " + state + ")";
    }
}
