package net.weft.node.uapi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.weft.node.device.ConfigurationException;
import net.weft.node.device.Configurable;
import net.weft.node.device.DeviceStatus;
import net.weft.node.device.DeviceUpdate;

/**
 * One UAPI connection: reads requests until the client goes away, answers each, and keeps the
 * connection open between requests, as wireguard-go does.
 *
 * <p>Every request runs to its blank line before anything happens: a {@code set=1} is decoded
 * whole into one {@link DeviceUpdate} and only then applied, so a bad line anywhere answers
 * {@code errno=-22} and changes nothing. When the framing itself cannot be trusted (an unknown
 * operation, a line or request over the {@link UapiLimits}, the client's end of stream inside a
 * request) the session answers {@code errno=-22} and ends, since it cannot tell where the next
 * request would start.
 *
 * <p>Not thread-safe: one thread runs {@link #run()}; a watchdog may ask {@link #expired(long)} and
 * close the channel.
 */
final class UapiSession {

    private static final System.Logger LOG = System.getLogger(UapiSession.class.getName());

    private static final int EINVAL = ConfigurationException.EINVAL;
    private static final int EIO = ConfigurationException.EIO;
    private static final byte[] ANSWER_OK = "errno=0\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final int READ_CHUNK = 8192;

    private final Configurable device;
    private final UapiLimits limits;
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final String name;

    /** Bytes read but not yet consumed, in read mode between calls. Owned by the session's thread. */
    private final ByteBuffer inbox = ByteBuffer.allocate(READ_CHUNK).flip();
    /** The current line, without its newline; may hold key hex, so it is zeroed after each request. */
    private final byte[] line;
    private final AsciiOutput answer = new AsciiOutput();

    /** {@link System#nanoTime()} after which the watchdog may close the connection. */
    private volatile long deadlineNanos;
    /** True while the device works on a request: its time is not the client's. */
    private volatile boolean inDevice;
    private boolean endOfStream;
    private long requestBytes;
    private int requestLines;

    UapiSession(Configurable device, UapiLimits limits, ReadableByteChannel in, WritableByteChannel out, String name) {
        this.device = device;
        this.limits = limits;
        this.in = in;
        this.out = out;
        this.name = name;
        this.line = new byte[limits.maxLineBytes()];
        this.deadlineNanos = System.nanoTime() + limits.idleTimeout().toNanos();
    }

    /** True when the current wait (for a request, or for the client to send or take an answer) has run out. */
    boolean expired(long nowNanos) {
        return !inDevice && nowNanos - deadlineNanos > 0;
    }

    /**
     * Serves requests until the client closes its end or the framing breaks.
     *
     * @throws IOException when the channel fails or is closed under the session (a timeout)
     */
    void run() throws IOException {
        try {
            while (serveOne()) {
                // what the request sent (perhaps key hex) goes as soon as it is served
                Arrays.fill(inbox.array(), 0, inbox.position(), (byte) 0);
            }
        } finally {
            wipe();
        }
    }

    /** One request and its answer; false when the connection should end. */
    private boolean serveOne() throws IOException {
        deadlineNanos = System.nanoTime() + limits.idleTimeout().toNanos();
        requestBytes = 0;
        requestLines = 0;
        int n;
        try {
            n = readLine();
        } catch (Framing e) {
            return refuse(e.getMessage());
        }
        if (n < 0) {
            return false;
        }
        deadlineNanos = System.nanoTime() + limits.requestTimeout().toNanos();
        AsciiView op = new AsciiView(line, 0, n);
        try {
            if (op.contentEquals("get=1")) {
                return get();
            }
            if (op.contentEquals("set=1")) {
                return set();
            }
        } catch (Framing e) {
            return refuse(e.getMessage());
        }
        // wireguard-go closes without a word; an answer first tells any client what went wrong
        return refuse("unknown operation");
    }

    private boolean get() throws IOException, Framing {
        boolean trailing = false;
        while (readBodyLine() > 0) {
            trailing = true;
        }
        if (trailing) {
            LOG.log(Level.DEBUG, "UAPI {0}: get=1 with more than the blank line", name);
            answerErrno(EINVAL);
            return true;
        }
        DeviceStatus status;
        inDevice = true;
        try {
            status = device.status();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "UAPI " + name + ": the device failed to report its status", e);
            answerErrno(EIO);
            return true;
        } finally {
            deadlineNanos = System.nanoTime() + limits.requestTimeout().toNanos();
            inDevice = false;
        }
        try {
            GetResponseEncoder.encode(status, answer);
            answer.append("errno=0\n\n");
            writeFully(answer.buffer());
        } finally {
            answer.wipe();
        }
        return true;
    }

    private boolean set() throws IOException, Framing {
        SetRequestDecoder decoder = new SetRequestDecoder();
        ConfigurationException refused = null;
        try {
            int n;
            while ((n = readBodyLine()) > 0) {
                if (refused == null) {
                    try {
                        decoder.decodeLine(new AsciiView(line, 0, n));
                    } catch (ConfigurationException e) {
                        refused = e;
                    }
                }
            }
        } catch (Framing | IOException | RuntimeException e) {
            decoder.discard();
            throw e;
        } finally {
            Arrays.fill(line, (byte) 0);
        }
        if (refused != null) {
            decoder.discard();
            LOG.log(Level.DEBUG, "UAPI {0}: set=1 refused: {1}", name, refused.getMessage());
            answerErrno(refused.errno());
            return true;
        }
        DeviceUpdate update = decoder.toUpdate();
        int errno = 0;
        inDevice = true;
        try {
            device.apply(update);
        } catch (ConfigurationException e) {
            LOG.log(Level.DEBUG, "UAPI {0}: the device refused set=1: {1}", name, e.getMessage());
            errno = e.errno() > 0 ? e.errno() : EIO;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "UAPI " + name + ": the device failed to apply set=1", e);
            errno = EIO;
        } finally {
            deadlineNanos = System.nanoTime() + limits.requestTimeout().toNanos();
            inDevice = false;
        }
        answerErrno(errno);
        return true;
    }

    /** Answers EINVAL when the client can still read it, and ends the connection. */
    private boolean refuse(String why) {
        LOG.log(Level.DEBUG, "UAPI {0}: closing the connection: {1}", name, why);
        try {
            answerErrno(EINVAL);
        } catch (IOException e) {
            // the client is gone already
        }
        return false;
    }

    private void answerErrno(int errno) throws IOException {
        writeFully(ByteBuffer.wrap(errno == 0 ? ANSWER_OK
                : ("errno=-" + errno + "\n\n").getBytes(StandardCharsets.US_ASCII)));
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** A line inside a request: end of stream there is a broken request, not a goodbye. */
    private int readBodyLine() throws IOException, Framing {
        int n = readLine();
        if (n < 0) {
            throw new Framing("end of stream inside a request");
        }
        return n;
    }

    /**
     * Reads the next line into {@link #line}, counting it against the request's limits.
     *
     * @return its length without the newline, or -1 at end of stream before any byte of it
     * @throws Framing when a limit is passed or the stream ends inside the line
     */
    private int readLine() throws IOException, Framing {
        if (++requestLines > limits.maxRequestLines()) {
            throw new Framing("more than " + limits.maxRequestLines() + " lines in one request");
        }
        int n = 0;
        while (true) {
            while (inbox.hasRemaining()) {
                byte b = inbox.get();
                if (++requestBytes > limits.maxRequestBytes()) {
                    throw new Framing("more than " + limits.maxRequestBytes() + " bytes in one request");
                }
                if (b == '\n') {
                    return n;
                }
                if (n == line.length) {
                    throw new Framing("a line longer than " + line.length + " bytes");
                }
                line[n++] = b;
            }
            if (endOfStream || !fill()) {
                endOfStream = true;
                if (n == 0 && requestLines == 1) {
                    return -1;
                }
                throw new Framing("end of stream inside a line");
            }
        }
    }

    /** Reads more bytes into the (empty) inbox; false at end of stream. */
    private boolean fill() throws IOException {
        inbox.clear();
        int r;
        do {
            r = in.read(inbox);
        } while (r == 0);
        inbox.flip();
        return r > 0;
    }

    private void wipe() {
        Arrays.fill(line, (byte) 0);
        Arrays.fill(inbox.array(), (byte) 0);
        answer.wipe();
    }

    /** The request's framing cannot be trusted; the session answers EINVAL and ends. */
    private static final class Framing extends Exception {
        Framing(String reason) {
            super(reason, null, false, false);
        }
    }
}
