package net.weft.node.device;

/**
 * A configuration change the device refused, with the errno UAPI answers ({@code errno=-22} is
 * EINVAL). Nothing of the change was applied.
 */
public final class ConfigurationException extends Exception {

    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** I/O error, e.g. the listen port could not be bound. */
    public static final int EIO = 5;
    /** Address in use. */
    public static final int EADDRINUSE = 98;

    private final int errno;

    public ConfigurationException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public ConfigurationException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The positive errno; UAPI answers its negative. */
    public int errno() {
        return errno;
    }
}
