package net.weft.labs.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import net.weft.crypto.Protocol;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.primitive.ChaChaPoly;
import net.weft.crypto.replay.ReplayFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and opening 1420-byte transport packets on one thread, through {@link Keypair} as the
 * device calls it: in place, in a buffer with 16 bytes of header room before the payload and 16
 * bytes for the tag after it, a fresh counter per packet. One operation is one packet, so
 * {@code ops/s * 1420} is the payload rate.
 *
 * <p>{@link Keypair} opens only {@code byte[]} messages, so open has no direct-buffer variant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class TransportBenchmark {

    /** The inner packet: a full 1420-byte MTU, WireGuard's default. */
    static final int PAYLOAD = 1420;
    /** Padding stops at the MTU, so a 1420-byte packet is not padded. */
    static final int PADDED = Messages.paddedLength(PAYLOAD, PAYLOAD);
    static final int MESSAGE = Messages.TRANSPORT_HEADER_SIZE + PADDED + Messages.TAG_SIZE;
    /** Pre-sealed packets for open: 256 x 1452 bytes stays within one core's 1 MiB L2. */
    static final int RING = 256;

    private ChaChaPoly aead;
    private Keypair sender;
    private Keypair receiver;

    private byte[] sealArray;
    private ByteBuffer sealDirect;

    private byte[][] ring;
    /** The datagram as the receive path would hand it over; each open copies a ring slot here. */
    private byte[] received;
    private int next;
    /**
     * The same filter {@link Keypair#acceptCounter} uses, owned here so that it can be reset when
     * the ring starts over (the keypair's own filter would reject the repeated counters).
     */
    private final ReplayFilter replay = new ReplayFilter();

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        PeerPair.Keypairs keypairs = new PeerPair(random).handshake();
        sender = keypairs.initiator();
        receiver = keypairs.responder();
        aead = ChaChaPoly.get();

        byte[] payload = new byte[PAYLOAD];
        random.nextBytes(payload);

        sealArray = new byte[MESSAGE];
        System.arraycopy(payload, 0, sealArray, Messages.TRANSPORT_PAYLOAD, PAYLOAD);
        sealDirect = ByteBuffer.allocateDirect(MESSAGE);
        sealDirect.put(Messages.TRANSPORT_PAYLOAD, payload).clear();

        ring = new byte[RING][MESSAGE];
        for (byte[] slot : ring) {
            System.arraycopy(payload, 0, slot, Messages.TRANSPORT_PAYLOAD, PAYLOAD);
            if (sender.seal(aead, sender.nextSendCounter(), slot, 0, PAYLOAD, PADDED) != MESSAGE) {
                throw new IllegalStateException("seal wrote an unexpected length");
            }
        }
        received = new byte[MESSAGE];

        // open must authenticate and give back the payload, or the benchmark would time a rejection
        System.arraycopy(ring[0], 0, received, 0, MESSAGE);
        if (receiver.open(aead, received, 0, MESSAGE) != PADDED
                || !Arrays.equals(received, Messages.TRANSPORT_PAYLOAD, Messages.TRANSPORT_PAYLOAD + PAYLOAD,
                        payload, 0, PAYLOAD)) {
            throw new IllegalStateException("open does not round-trip a sealed packet");
        }
        // the direct-buffer seal must produce what the array seal produces for the same counter
        int n = sender.seal(aead, sender.nextSendCounter(), sealDirect, PAYLOAD, PADDED);
        byte[] viaDirect = new byte[n];
        sealDirect.get(0, viaDirect);
        sealDirect.clear().put(Messages.TRANSPORT_PAYLOAD, payload).clear();
        System.arraycopy(viaDirect, 0, received, 0, n);
        if (n != MESSAGE || receiver.open(aead, received, 0, n) != PADDED
                || !Arrays.equals(received, Messages.TRANSPORT_PAYLOAD, Messages.TRANSPORT_PAYLOAD + PAYLOAD,
                        payload, 0, PAYLOAD)) {
            throw new IllegalStateException("the direct-buffer seal does not round-trip");
        }
        next = 0;
        replay.reset();
    }

    /** Seal in place in a heap array: header written, payload encrypted, tag appended. */
    @Benchmark
    public int sealByteArray() {
        return sender.seal(aead, sender.nextSendCounter(), sealArray, 0, PAYLOAD, PADDED);
    }

    /** Seal in place in a direct buffer, as pooled I/O buffers are. */
    @Benchmark
    public int sealDirectBuffer() {
        return sender.seal(aead, sender.nextSendCounter(), sealDirect, PAYLOAD, PADDED);
    }

    /**
     * Open in place, then the replay check, as the receive path does: copy the next pre-sealed
     * packet (the datagram arriving), decrypt and authenticate it, accept its counter. A packet
     * that fails either step stops the run.
     */
    @Benchmark
    public int openByteArray() {
        int i = next;
        System.arraycopy(ring[i], 0, received, 0, MESSAGE);
        int n = receiver.open(aead, received, 0, MESSAGE);
        long counter = Messages.readLong(received, Messages.TRANSPORT_COUNTER);
        if (n != PADDED || !replay.validate(counter, Protocol.REJECT_AFTER_MESSAGES)) {
            throw new IllegalStateException("packet " + counter + " did not open");
        }
        if (++i == RING) {
            i = 0;
            replay.reset();
        }
        next = i;
        return n;
    }
}
