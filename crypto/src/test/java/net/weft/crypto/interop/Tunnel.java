package net.weft.crypto.interop;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.primitive.ChaChaPoly;

/**
 * Transport messages with one peer under one {@link Keypair}, over the test's plain UDP socket:
 * IP packets in, padded and sealed (section 5.4.6 of the whitepaper); transport messages out,
 * opened, replay-checked and stripped of padding by the inner IPv4 total length. Keepalives
 * (empty transport messages) are counted and skipped. Single-threaded, like the test.
 */
final class Tunnel {

    /** wireguard-go's default interface MTU, the padding limit for transport payloads. */
    static final int MTU = 1420;

    private final DatagramSocket socket;
    private final InetSocketAddress remote;
    private final Keypair keypair;
    private final ChaChaPoly aead = ChaChaPoly.get();
    private int keepalives;
    private int forUs;
    private int unauthentic;
    private int replayed;
    private int unrelated;

    Tunnel(DatagramSocket socket, InetSocketAddress remote, Keypair keypair) {
        this.socket = socket;
        this.remote = remote;
        this.keypair = keypair;
    }

    /** Seals {@code packet} under the next send counter and sends it; returns the exact message sent. */
    byte[] send(byte[] packet) {
        int padded = Messages.paddedLength(packet.length, MTU);
        byte[] buf = new byte[Messages.TRANSPORT_HEADER_SIZE + padded + Messages.TAG_SIZE];
        System.arraycopy(packet, 0, buf, Messages.TRANSPORT_PAYLOAD, packet.length);
        long counter = keypair.nextSendCounter();
        int n = keypair.seal(aead, counter, buf, 0, packet.length, padded);
        byte[] message = Arrays.copyOf(buf, n);
        sendRaw(message);
        return message;
    }

    /** Sends {@code message} as it is (to replay one). */
    void sendRaw(byte[] message) {
        Datagram.send(socket, message, remote);
    }

    /**
     * The next IP packet the peer sends under this keypair, or {@code null} when none arrives within
     * {@code timeout}. Skips keepalives, datagrams that are no transport message for our index,
     * messages that do not authenticate and replays.
     */
    byte[] receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Datagram d; (d = Datagram.receive(socket, deadline)) != null; ) {
            byte[] m = d.data();
            if (Messages.classify(m, 0, m.length) != Messages.TYPE_TRANSPORT
                    || Messages.readInt(m, Messages.TRANSPORT_RECEIVER) != keypair.localIndex()) {
                unrelated++;
                continue;
            }
            forUs++;
            int n = keypair.open(aead, m, 0, m.length);
            if (n < 0) {
                unauthentic++;
                continue;
            }
            if (!keypair.acceptCounter(Messages.readLong(m, Messages.TRANSPORT_COUNTER))) {
                replayed++;
                continue;
            }
            if (n == 0) {
                keepalives++;
                continue;
            }
            int length = IcmpEcho.ipv4Length(m, Messages.TRANSPORT_PAYLOAD, n);
            if (length < 0) {
                throw new AssertionError("a transport message decrypted to " + n + " bytes that are no IPv4 packet");
            }
            return Arrays.copyOfRange(m, Messages.TRANSPORT_PAYLOAD, Messages.TRANSPORT_PAYLOAD + length);
        }
        return null;
    }

    /** Every IP packet that arrives within {@code window} (see {@link #receive}). */
    List<byte[]> receiveAll(Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        List<byte[]> packets = new ArrayList<>();
        for (byte[] p; (p = receive(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null; ) {
            packets.add(p);
        }
        return packets;
    }

    /** Transport messages that carried our receiver index, whether they authenticated or not. */
    int transportMessagesForUs() {
        return forUs;
    }

    /** What was received and skipped so far, for failure messages. */
    String skipped() {
        return keepalives + " keepalives, " + unauthentic + " unauthentic and " + replayed
                + " replayed transport messages, " + unrelated + " unrelated datagrams";
    }

    @Override
    public String toString() {
        return "Tunnel(" + remote + ", " + keypair + ")";
    }
}
