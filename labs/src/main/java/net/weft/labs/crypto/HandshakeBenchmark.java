package net.weft.labs.crypto;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import net.weft.crypto.primitive.X25519;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Handshakes per second on one thread, both peers' work counted: create initiation, consume it,
 * create the response, consume it, derive both keypairs, with mac1 added and checked on both
 * messages as the device does. For orientation, the single X25519 operations a handshake is made
 * of: a shared secret (variable base) and a public-key derivation (fixed base).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class HandshakeBenchmark {

    private PeerPair peers;
    private final byte[] privateKey = new byte[X25519.LENGTH];
    private final byte[] peerPublicKey = new byte[X25519.LENGTH];
    private final byte[] out = new byte[X25519.LENGTH];

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        peers = new PeerPair(random);
        peers.handshake();
        X25519.generatePrivateKey(random, privateKey);
        byte[] peerPrivate = new byte[X25519.LENGTH];
        X25519.generatePrivateKey(random, peerPrivate);
        X25519.publicKey(peerPrivate, peerPublicKey);
    }

    /** Both sides of a full handshake; the keypairs go to the blackhole so that nothing is optimised away. */
    @Benchmark
    public void fullHandshake(Blackhole bh) {
        PeerPair.Keypairs keypairs = peers.handshake();
        bh.consume(keypairs.initiator());
        bh.consume(keypairs.responder());
    }

    /** {@code X25519(private, peer public)}, with the all-zero check. */
    @Benchmark
    public byte[] x25519SharedSecret() {
        X25519.sharedSecret(privateKey, peerPublicKey, out);
        return out;
    }

    /** {@code X25519(private, 9)}: deriving a public key, as for each ephemeral key. */
    @Benchmark
    public byte[] x25519PublicKey() {
        X25519.publicKey(privateKey, out);
        return out;
    }
}
