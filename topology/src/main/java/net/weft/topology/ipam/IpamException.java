package net.weft.topology.ipam;

/** An address could not be handed out. */
public sealed class IpamException extends RuntimeException permits AddressPoolExhaustedException, AddressConflictException {

    IpamException(String message) {
        super(message);
    }
}
