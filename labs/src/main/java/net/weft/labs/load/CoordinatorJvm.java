package net.weft.labs.load;

import java.util.List;

/** How a packaged coordinator is launched as its own JVM: the flags the {@code weft} script's coordinator case passes. */
public final class CoordinatorJvm {

    /** Hazelcast reaches into the JDK; without these it warns or fails. No heap size: callers choose it. */
    public static final List<String> FLAGS = List.of(
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    private CoordinatorJvm() {
    }
}
