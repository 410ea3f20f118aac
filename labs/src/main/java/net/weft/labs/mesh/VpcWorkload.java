package net.weft.labs.mesh;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The simulated VPC's workload: a tiny HTTP server, run by a lab inside the VPC's namespace, that answers every
 * {@code GET} with {@link #GREETING} and the address the request came from (with SNAT on, the gateway's VPC
 * address, which shows which gateway carried it).
 *
 * <p>{@code java -cp LABS net.weft.labs.mesh.VpcWorkload ADDRESS PORT}; runs until killed.
 */
public final class VpcWorkload {

    /** The first line of every answer. */
    public static final String GREETING = "hello from the weft lab's VPC workload";

    private VpcWorkload() {
    }

    /** The {@code client:} line of an answer: the address the request came from inside the VPC. */
    public static Optional<String> clientOf(String body) {
        return body.lines().filter(l -> l.startsWith("client: ")).map(l -> l.substring(8).strip()).findFirst();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: VpcWorkload ADDRESS PORT");
            System.exit(2);
        }
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        HttpServer server = HttpServer.create(at, 64);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = (GREETING + " " + args[0] + "\nclient: "
                        + exchange.getRemoteAddress().getAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("VpcWorkload listening on " + at);
    }
}
