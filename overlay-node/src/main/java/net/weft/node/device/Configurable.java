package net.weft.node.device;

/** What UAPI and the agent need from a device: apply a change atomically, and report. */
public interface Configurable {

    /** Applies the whole update or, on any error, none of it. */
    void apply(DeviceUpdate update) throws ConfigurationException;

    /** A consistent snapshot of configuration and counters. */
    DeviceStatus status();
}
