package net.weft.node.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Kernel IP forwarding for the gateway and relay roles: turns {@code net.ipv4.ip_forward} and
 * {@code net.ipv6.conf.all.forwarding} on, remembering what each was so {@link #restore()} can put it
 * back.
 *
 * <p>Both switches are system-wide: writing {@code ip_forward} also sets every interface's IPv4
 * {@code forwarding}, and IPv6 {@code all.forwarding} makes every interface a router (which stops it
 * accepting router advertisements unless its {@code accept_ra} is 2). A switch that already has the
 * wanted value is not written. {@link #restore()} writes back the remembered global value, so
 * per-interface values someone set between enable and restore are overwritten.
 *
 * <p>Not thread-safe: one owner (the agent) calls it.
 */
public final class Forwarding {

    static final String IPV4 = "net/ipv4/ip_forward";
    static final String IPV6 = "net/ipv6/conf/all/forwarding";

    private final Command command;
    private final Path procSys;
    /** The value found before the first enable, or null when this switch was not touched. */
    private String previousIpv4;
    private String previousIpv6;

    /** Forwarding of the host (or namespace) {@code command} reaches, through {@code /proc/sys}. */
    public Forwarding(Command command) {
        this(command, Path.of("/proc/sys"));
    }

    /** Forwarding under another {@code /proc/sys} root: a directory in tests. */
    Forwarding(Command command, Path procSys) {
        this.command = Objects.requireNonNull(command, "command");
        this.procSys = Objects.requireNonNull(procSys, "procSys");
    }

    /** Turns IPv4 forwarding on; the first call remembers the value it found. */
    public void enableIpv4() throws IOException {
        previousIpv4 = enable(IPV4, previousIpv4);
    }

    /** Turns IPv6 forwarding on for all interfaces; the first call remembers the value it found. */
    public void enableIpv6() throws IOException {
        previousIpv6 = enable(IPV6, previousIpv6);
    }

    /** True when IPv4 forwarding is on now. */
    public boolean ipv4Enabled() throws IOException {
        return "1".equals(read(IPV4));
    }

    /** True when IPv6 forwarding is on for all interfaces now. */
    public boolean ipv6Enabled() throws IOException {
        return "1".equals(read(IPV6));
    }

    /**
     * Puts back what the enable calls found and forgets it; switches never enabled are left alone. Both
     * are tried even when the first fails.
     */
    public void restore() throws IOException {
        IOException failed = null;
        if (previousIpv4 != null) {
            try {
                if (!previousIpv4.equals(read(IPV4))) {
                    write(IPV4, previousIpv4); // a switch that was already on is left as it is (read-only /proc/sys in pods)
                }
                previousIpv4 = null;
            } catch (IOException e) {
                failed = e;
            }
        }
        if (previousIpv6 != null) {
            try {
                if (!previousIpv6.equals(read(IPV6))) {
                    write(IPV6, previousIpv6); // a switch that was already on is left as it is (read-only /proc/sys in pods)
                }
                previousIpv6 = null;
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private String enable(String key, String remembered) throws IOException {
        String now = read(key);
        if (!"1".equals(now)) {
            write(key, "1");
        }
        return remembered != null ? remembered : now;
    }

    private String read(String key) throws IOException {
        return command.readFile(procSys.resolve(key)).strip();
    }

    private void write(String key, String value) throws IOException {
        command.writeFile(procSys.resolve(key), value + "\n");
    }
}
