package net.weft.crypto.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * One UDP datagram the test received, and the blocking receive with a deadline that the test uses
 * instead of sleeping.
 *
 * @param data the payload (a copy)
 * @param source who sent it
 */
record Datagram(byte[] data, InetSocketAddress source) {

    private static final int MAX_DATAGRAM = 65_535;

    /** Sends {@code message} to {@code to}. */
    static void send(DatagramSocket socket, byte[] message, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(message, message.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException("sending " + message.length + " bytes to " + to, e);
        }
    }

    /** The next datagram on {@code socket}, or {@code null} when none arrives before {@code deadlineNanos}. */
    static Datagram receive(DatagramSocket socket, long deadlineNanos) {
        byte[] buf = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("receiving on " + socket.getLocalSocketAddress(), e);
        }
        return new Datagram(Arrays.copyOf(buf, packet.getLength()), (InetSocketAddress) packet.getSocketAddress());
    }
}
