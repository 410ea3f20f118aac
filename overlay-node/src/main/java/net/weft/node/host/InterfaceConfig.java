package net.weft.node.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import net.weft.topology.model.IpPrefix;

/**
 * The addresses, MTU and routes of one overlay interface, set the way {@code wg-quick} sets them, through
 * {@code ip}.
 *
 * <p>Weft's routes carry a routing protocol number of their own, {@value #ROUTE_PROTOCOL} ({@code proto
 * 87}, unassigned in {@code /etc/iproute2/rt_protos}): {@link #syncRoutes} and {@link #down} read, add and
 * delete only routes with that number in the main table, so the kernel's routes for the interface's own
 * addresses and any route an administrator added by hand are never touched.
 *
 * <p>Not thread-safe: one caller (the agent's map loop) owns an instance.
 */
public final class InterfaceConfig {

    /** The {@code proto} number on every route Weft installs: 0x57, 'W'. */
    public static final int ROUTE_PROTOCOL = 0x57;

    /** What Linux accepts as an interface name (IFNAMSIZ - 1 characters), narrowed to what nft and ip quote safely. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Command command;
    private final String name;

    /**
     * @param command how to reach the host ({@link Command#host()} in production)
     * @param name    the interface, e.g. {@code weft0}; it must exist before {@link #up}
     */
    public InterfaceConfig(Command command, String name) {
        this.command = Objects.requireNonNull(command, "command");
        this.name = checkInterfaceName(name);
    }

    /** The interface's name. */
    public String name() {
        return name;
    }

    /**
     * Sets the MTU, adds the overlay addresses ({@code ip addr replace}; IPv6 ones without duplicate
     * address detection, which a point-to-point tunnel does not need) and sets the link up, in one
     * {@code ip -batch}. Running it again with the same input changes nothing. Addresses that are not
     * in {@code addresses} are left alone.
     *
     * @param mtu       the overlay MTU: 576..65535, and at least 1280 when an IPv6 address is given
     * @param addresses host prefixes ({@code 100.64.0.5/32}, {@code fd00:64::5/128})
     * @throws IOException naming the failed {@code ip} line and its error
     */
    public void up(int mtu, List<IpPrefix> addresses) throws IOException {
        boolean ipv6 = false;
        for (IpPrefix a : addresses) {
            if (!a.isHost()) {
                throw new IllegalArgumentException("overlay address " + a + " is not a host prefix (/32 or /128)");
            }
            ipv6 |= a.isIpv6();
        }
        if (mtu < 576 || mtu > 65535 || (ipv6 && mtu < 1280)) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside " + (ipv6 ? 1280 : 576) + "..65535");
        }
        List<String> lines = new ArrayList<>();
        lines.add("link set dev " + name + " mtu " + mtu);
        for (IpPrefix a : addresses) {
            lines.add("address replace " + a + " dev " + name + (a.isIpv6() ? " nodad" : ""));
        }
        lines.add("link set dev " + name + " up");
        List<BatchError> errors = batch(lines, false);
        if (!errors.isEmpty()) {
            throw new IOException("configuring " + name + " failed: " + errors);
        }
    }

    /**
     * Makes the set of Weft routes on the interface (IPv4 and IPv6, main table) equal {@code wanted}:
     * reads the present ones, then deletes the unwanted and adds the missing in one {@code ip -batch}.
     *
     * <p>A wanted prefix that already has a route Weft did not install (same prefix and metric, e.g. one
     * added by hand) is left as it is; every other change is still made, and then an
     * {@link IOException} names the conflicting prefixes. The interface must be up.
     *
     * @param wanted every prefix in the peers' allowed IPs; duplicates are ignored
     * @throws IOException when {@code ip} fails or a wanted route conflicts with a foreign one
     */
    public void syncRoutes(Collection<IpPrefix> wanted) throws IOException {
        Set<IpPrefix> want = new HashSet<>(wanted);
        Set<IpPrefix> present = ourRoutes();
        List<String> lines = new ArrayList<>();
        // deletions first: the batch then never holds an old and a new route for one prefix at once
        for (IpPrefix p : present) {
            if (!want.contains(p)) {
                lines.add("route del " + p + " dev " + name + " proto " + ROUTE_PROTOCOL);
            }
        }
        for (IpPrefix p : new TreeSet<>(want)) {
            if (!present.contains(p)) {
                lines.add("route add " + p + " dev " + name + " proto " + ROUTE_PROTOCOL);
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        List<BatchError> errors = batch(lines, true);
        List<BatchError> conflicts = new ArrayList<>();
        List<BatchError> failures = new ArrayList<>();
        for (BatchError e : errors) {
            if (e.line().startsWith("route del ") && e.reason().contains("No such process")) {
                continue; // gone already (the interface bounced): what we wanted
            }
            (e.line().startsWith("route add ") && e.reason().contains("File exists") ? conflicts : failures).add(e);
        }
        if (!failures.isEmpty()) {
            throw new IOException("syncing routes on " + name + " failed: " + failures);
        }
        if (!conflicts.isEmpty()) {
            throw new IOException("routes on " + name + " conflict with routes Weft did not install (left as they are): "
                    + conflicts);
        }
    }

    /**
     * Removes every Weft route from the interface. An interface that no longer exists has none left, so
     * that is no error. The interface itself stays: whoever closes the TUN removes it.
     */
    public void down() throws IOException {
        if (command.exec(null, List.of("ip", "link", "show", "dev", name)).exitCode() != 0) {
            return;
        }
        syncRoutes(List.of());
    }

    /** The prefixes of the routes with Weft's protocol number on this interface, IPv4 and IPv6. */
    Set<IpPrefix> ourRoutes() throws IOException {
        Set<IpPrefix> out = new HashSet<>();
        for (String family : List.of("-4", "-6")) {
            String json = command.run("ip", family, "-j", "route", "show", "dev", name, "proto",
                    Integer.toString(ROUTE_PROTOCOL));
            for (JsonNode route : JSON.readTree(json.isBlank() ? "[]" : json)) {
                String dst = route.path("dst").asText("");
                try {
                    out.add("default".equals(dst) ? IpPrefix.parse("-4".equals(family) ? "0.0.0.0/0" : "::/0")
                            : IpPrefix.parse(dst));
                } catch (IllegalArgumentException e) {
                    throw new IOException("unexpected route destination \"" + dst + "\" on " + name, e);
                }
            }
        }
        return out;
    }

    /** One line of an {@code ip -batch} that failed, with the error {@code ip} printed for it. */
    record BatchError(String line, String reason) {
        @Override
        public String toString() {
            return "`" + line + "`: " + reason;
        }
    }

    /**
     * Runs {@code lines} through one {@code ip -batch -}. With {@code force} every line is tried and the
     * failed ones come back; without it {@code ip} stops at the first failure, which comes back alone.
     */
    private List<BatchError> batch(List<String> lines, boolean force) throws IOException {
        List<String> argv = force ? List.of("ip", "-force", "-batch", "-") : List.of("ip", "-batch", "-");
        Command.Result r = command.exec(String.join("\n", lines) + "\n", argv);
        if (r.exitCode() == 0) {
            return List.of();
        }
        // ip prints the error, then "Command failed -:N" with the 1-based line number
        List<BatchError> errors = new ArrayList<>();
        StringBuilder reason = new StringBuilder();
        for (String s : r.stderr().split("\n")) {
            if (s.startsWith("Command failed -:")) {
                int n = parseLineNumber(s.substring("Command failed -:".length()));
                String line = n >= 1 && n <= lines.size() ? lines.get(n - 1) : "batch line " + n;
                errors.add(new BatchError(line, reason.toString().strip()));
                reason.setLength(0);
            } else if (!s.isBlank()) {
                reason.append(reason.isEmpty() ? "" : "; ").append(s.strip());
            }
        }
        if (errors.isEmpty()) {
            errors.add(new BatchError(String.join(" ", argv), "exit " + r.exitCode() + ": " + r.stderr().strip()));
        }
        return errors;
    }

    private static int parseLineNumber(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Checks an interface name: 1 to 15 characters of letters, digits, {@code _ . -}, not starting with
     * {@code .} or {@code -}, so it can go into {@code ip} lines and nft identifiers unquoted.
     */
    static String checkInterfaceName(String name) {
        if (name == null || !INTERFACE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad interface name \"" + name + "\"");
        }
        return name;
    }
}
