package net.weft.topology.ipam;

/** A pinned address is outside the pool, not usable, or already held by another node. */
public final class AddressConflictException extends IpamException {

    AddressConflictException(String message) {
        super(message);
    }
}
