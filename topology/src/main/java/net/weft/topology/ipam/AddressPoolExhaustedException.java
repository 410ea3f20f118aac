package net.weft.topology.ipam;

import net.weft.topology.model.IpPrefix;

/** Every usable address of a pool is taken. */
public final class AddressPoolExhaustedException extends IpamException {

    private final IpPrefix pool;

    AddressPoolExhaustedException(IpPrefix pool, long capacity) {
        super("address pool " + pool + " is exhausted: all " + capacity + " usable addresses are allocated");
        this.pool = pool;
    }

    /** The exhausted pool. */
    public IpPrefix pool() {
        return pool;
    }
}
