package net.weft.node.host;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP server a test starts in a namespace ({@code ip netns exec NS java ... PeerAddressServer PORT}):
 * it answers every connection with the source address it saw and a newline, then closes it. It prints
 * {@code ready} once listening (IPv4 and IPv6) and exits when its standard input ends, that is when the
 * test that started it closes the pipe or dies, or after ten minutes at most.
 */
public final class PeerAddressServer {

    private PeerAddressServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), Integer.parseInt(args[0])));
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write((s.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        });
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(2);
        });
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the end of input
        }
        System.exit(0);
    }
}
