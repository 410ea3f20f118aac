package net.weft.coordinator.cluster;

/** The store could not do what was asked in time (the network lock is held too long, the database is gone). */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }
}
