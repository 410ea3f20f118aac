package net.weft.node.uapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A test client on the UAPI socket whose every wait has a deadline. */
final class UapiClient implements AutoCloseable {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean endOfStream;

    UapiClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
        selector = Selector.open();
    }

    /** Sends {@code request} and returns its answer, up to and including the blank line after {@code errno=}. */
    String request(String request) throws IOException {
        send(request);
        return readAnswer(ANSWER_TIMEOUT);
    }

    /** Writes everything, waiting for room up to the deadline. */
    void send(String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
        try {
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException("the server took nothing for " + ANSWER_TIMEOUT);
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                }
            }
        } finally {
            key.cancel();
            selector.selectNow();
        }
    }

    /** The next whole answer; fails when none comes within {@code timeout} or the server closes first. */
    String readAnswer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\n\n");
            if (end >= 0) {
                received.reset();
                received.write(text.substring(end + 2).getBytes(StandardCharsets.ISO_8859_1));
                return text.substring(0, end + 2);
            }
            if (endOfStream) {
                throw new IOException("the server closed the connection; got " + text.length() + " bytes");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("no answer within " + timeout);
            }
            readSome(left);
        }
    }

    /** Waits up to {@code timeout} for the server to close; true when it did (whatever it sent before). */
    boolean awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!endOfStream) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            readSome(left);
        }
        return true;
    }

    /** All bytes received and not yet returned as an answer. */
    String pending() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private void readSome(long timeoutNanos) throws IOException {
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        try {
            selector.select(Math.max(1, timeoutNanos / 1_000_000));
            selector.selectedKeys().clear();
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                // a reset by the server counts as closing
                n = -1;
            }
            if (n < 0) {
                endOfStream = true;
            } else {
                received.write(buffer.array(), 0, n);
            }
        } finally {
            key.cancel();
            selector.selectNow();
        }
    }

    /** Closes our sending side; the server sees end of stream. */
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
