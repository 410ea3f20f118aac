package net.weft.topology.model;

import java.util.Locale;

/** The cloud an on-ramp leads into. */
public enum Provider {
    AWS, GCP, AZURE, GENERIC;

    /** The spelling the network spec uses: {@code aws}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
