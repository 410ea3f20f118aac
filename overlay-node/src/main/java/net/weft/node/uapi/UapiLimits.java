package net.weft.node.uapi;

import java.time.Duration;

/**
 * Bounds on what one UAPI client may send and how long it may take, so that no client (buggy,
 * stuck or hostile) can exhaust memory or hold the socket for others.
 *
 * @param maxLineBytes    longest line, newline excluded; the longest line {@code wg} sends is under 100 bytes
 * @param maxRequestBytes most bytes in one request, operation line and blank line included
 * @param maxRequestLines most lines in one request, operation line and blank line included
 * @param maxConnections  connections served at once; further clients wait in the listen backlog
 * @param idleTimeout     how long a connection may wait between requests before it is closed
 * @param requestTimeout  how long reading one request and writing its answer may take (the device's
 *                        own work in between is not counted)
 */
public record UapiLimits(int maxLineBytes, int maxRequestBytes, int maxRequestLines, int maxConnections,
                         Duration idleTimeout, Duration requestTimeout) {

    /**
     * Room for a {@code wg setconf} of many thousand peers (about 100 bytes and 4 lines per peer plus
     * 30 bytes per allowed IP), while 16 connections at the byte limit stay far below the heap.
     */
    public static final UapiLimits DEFAULTS = new UapiLimits(1024, 8 << 20, 256 * 1024, 16,
            Duration.ofSeconds(30), Duration.ofSeconds(10));

    public UapiLimits {
        if (maxLineBytes < 128) {
            throw new IllegalArgumentException("maxLineBytes must leave room for every valid line (>= 128)");
        }
        if (maxRequestBytes < maxLineBytes || maxRequestLines < 2 || maxConnections < 1) {
            throw new IllegalArgumentException("maxRequestBytes >= maxLineBytes, maxRequestLines >= 2 and maxConnections >= 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}
