package net.weft.coordinator.service;

import java.util.List;

/** A request the coordinator will not carry out, with the reason and, for specs, every problem found. */
public class WeftException extends RuntimeException {

    /** Why: the API turns each kind into one HTTP status. */
    public enum Kind {
        /** The request is malformed or its values are out of range. */
        INVALID,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The request conflicts with the state (a public key already in use, addresses taken). */
        CONFLICT,
        /** The join token is unknown, expired or used up (the caller is not told which). */
        TOKEN_REFUSED,
        /** Too many joins from this source. */
        RATE_LIMITED,
        /** The cluster could not serve the request now. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final List<String> problems;

    public WeftException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public WeftException(Kind kind, String message, List<String> problems) {
        super(message);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public Kind kind() {
        return kind;
    }

    /** Individual problems (a spec's), each one line; empty when the message says it all. */
    public List<String> problems() {
        return problems;
    }
}
