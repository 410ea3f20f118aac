package net.weft.node.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every admin command shares: where the coordinator is, the admin credential, and output form. */
final class AdminOptions {

    static final String COORDINATOR_ENV = "WEFT_COORDINATOR";
    static final String CREDENTIAL_ENV = "WEFT_ADMIN_CREDENTIAL";
    static final String DEFAULT_COORDINATOR = "http://127.0.0.1:8080";
    /** Where {@code ./weft coordinator} keeps the credential by default, relative to the working directory. */
    static final Path DEFAULT_CREDENTIAL_FILE = Path.of("weft-data", "admin.credential");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--coordinator", paramLabel = "URL",
            description = "The coordinator's URL (default: $" + COORDINATOR_ENV + ", else " + DEFAULT_COORDINATOR
                    + ").")
    String coordinator;

    @Option(names = "--credential-file", paramLabel = "FILE",
            description = "A file holding the admin credential (default: $" + CREDENTIAL_ENV
                    + ", else ./weft-data/admin.credential).")
    Path credentialFile;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    WeftCli cli() {
        return (WeftCli) mixee.root().userObject();
    }

    /** The coordinator's base URL, without a trailing slash. */
    URI coordinatorUri() {
        String text = coordinator != null ? coordinator : cli().env().getOrDefault(COORDINATOR_ENV, "");
        String source = coordinator != null ? "--coordinator" : "$" + COORDINATOR_ENV;
        if (text.isBlank()) {
            text = DEFAULT_COORDINATOR;
        }
        return parseCoordinator(text.strip(), source, mixee);
    }

    static URI parseCoordinator(String text, String source, CommandSpec spec) {
        String t = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        try {
            URI uri = new URI(t);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(),
                source + " '" + text + "' is not a coordinator URL (want http://HOST:PORT or https://HOST)");
    }

    /** The admin credential: {@code --credential-file}, then the environment, then the default file. */
    String credential() throws AdminException {
        return resolveCredential(credentialFile, cli().env(), cli().defaultCredentialFile());
    }

    static String resolveCredential(Path file, Map<String, String> env, Path defaultFile) throws AdminException {
        if (file != null) {
            return read(file, "--credential-file");
        }
        String fromEnv = env.get(CREDENTIAL_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        if (Files.exists(defaultFile)) {
            return read(defaultFile, "the default credential file");
        }
        throw new AdminException("no admin credential: tried --credential-file (not given), $" + CREDENTIAL_ENV
                + " (not set) and " + defaultFile.toAbsolutePath().normalize() + " (no such file); "
                + "pass --credential-file FILE or set " + CREDENTIAL_ENV);
    }

    private static String read(Path file, String what) throws AdminException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new AdminException("cannot read the admin credential: " + what + " " + file + ": no such file");
        } catch (IOException e) {
            throw new AdminException("cannot read the admin credential: " + what + " " + file + ": " + e.getMessage());
        }
        if (text.isEmpty()) {
            throw new AdminException("the admin credential file " + file + " is empty");
        }
        return text;
    }

    AdminClient client() throws AdminException {
        URI uri = coordinatorUri();
        return new AdminClient(uri, credential(), cli().http());
    }
}
