package net.weft.node.cli;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weft}: the product command line: the node agent ({@code weft up}, {@code status}, {@code down}) and the
 * coordinator's admin commands ({@code weft token ...}, {@code weft nodes ...}). Exit codes: 0 done,
 * 1 failed (the reason on one line of standard error), 2 bad usage.
 */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
        subcommands = {AgentCommands.Up.class, AgentCommands.Status.class, AgentCommands.Down.class,
                TokenCommand.class, NodesCommand.class},
        description = {"Weft: a WireGuard mesh with a coordinator.", "",
                "Environment: WEFT_COORDINATOR (the coordinator's URL), WEFT_ADMIN_CREDENTIAL (the admin credential)."},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class WeftCli {

    private final Map<String, String> env;
    private final Path defaultCredentialFile;
    private final Supplier<HttpClient> http;
    private final Clock clock;

    WeftCli(Map<String, String> env, Path defaultCredentialFile, Supplier<HttpClient> http, Clock clock) {
        this.env = Map.copyOf(env);
        this.defaultCredentialFile = defaultCredentialFile;
        this.http = http;
        this.clock = clock;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(new WeftCli(System.getenv(), AdminOptions.DEFAULT_CREDENTIAL_FILE, AdminClient::newHttpClient,
                Clock.systemUTC()), out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line against {@code cli}'s environment; returns the exit code. */
    static int run(WeftCli cli, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof AdminException) {
                c.getErr().println("weft: " + name(c) + ": " + e.getMessage());
            } else {
                c.getErr().println("weft: " + name(c) + ": internal error: " + e);
            }
            c.getErr().flush();
            return 1;
        });
        cmd.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            String message = e.getMessage();
            if (!c.getSubcommands().isEmpty() && message.startsWith("Missing required subcommand")) {
                message += " (one of: " + String.join(", ", c.getSubcommands().keySet()) + ")";
            }
            c.getErr().println("weft: " + name(c) + ": " + message);
            String sub = c.getCommandSpec().qualifiedName(" ");
            c.getErr().println("Try '" + sub + " --help' for more.");
            c.getErr().flush();
            return 2;
        });
        return cmd.execute(args);
    }

    /** {@code token create} for a subcommand, {@code weft} for the top. */
    static String name(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName(" ");
        return q.startsWith("weft ") ? q.substring(5) : q;
    }

    Map<String, String> env() {
        return env;
    }

    Path defaultCredentialFile() {
        return defaultCredentialFile;
    }

    HttpClient http() {
        return http.get();
    }

    Clock clock() {
        return clock;
    }

    /** The version in the jar's manifest, when run from it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WeftCli.class.getPackage().getImplementationVersion();
            return new String[] {"weft " + (v == null ? "(development build)" : v)};
        }
    }
}
