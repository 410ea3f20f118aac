package net.weft.node.agent;

/**
 * A control-plane call failed. {@link #retryable()} tells a coordinator that is down or busy (try again,
 * perhaps another one) from an answer that will not change (a refused token, a bad request).
 */
public final class ControlException extends Exception {

    private final int status;
    private final boolean retryable;

    /**
     * @param status the HTTP status, 0 when no answer came
     */
    public ControlException(String message, int status, boolean retryable) {
        super(message);
        this.status = status;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }
}
