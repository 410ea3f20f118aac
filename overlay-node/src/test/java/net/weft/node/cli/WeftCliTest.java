package net.weft.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** {@code weft token|nodes}: option parsing, credential lookup, error lines and output, without a coordinator. */
class WeftCliTest {

    static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        WeftCli cli = new WeftCli(env, dir.resolve("weft-data/admin.credential"), AdminClient::newHttpClient,
                Clock.fixed(NOW, ZoneOffset.UTC));
        int code = WeftCli.run(cli, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void expiryTakesUnitsDaysAndIsoAndRefusesTheRest() {
        assertThat(Expiry.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Expiry.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Expiry.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Expiry.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Expiry.parse("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Expiry.parse("7d").toString()).isEqualTo("PT168H");
        for (String bad : new String[] {"", "1", "1x", "h", "-1h", "1.5h", "1 h", "P", "0h", "PT0S", "PT-1H"}) {
            assertThatThrownBy(() -> Expiry.parse(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
        assertThatThrownBy(() -> Expiry.parse("1w")).hasMessageContaining("s, m, h or d");
        assertThatThrownBy(() -> Expiry.parse("0m")).hasMessageContaining("longer than 0");
    }

    @Test
    void badDurationIsAUsageErrorNamingTheOption() {
        Result r = run(Map.of("WEFT_ADMIN_CREDENTIAL", "x"), "token", "create", "--expires", "1w");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("weft: token create: Invalid value for option '--expires': '1w' is not a duration");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void usageErrorsExitTwo() {
        Result bare = run(Map.of(), "nodes");
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.err()).startsWith("weft: nodes: Missing required subcommand (one of: list, delete, expire)");
        assertThat(run(Map.of(), "token").code()).isEqualTo(2);
        assertThat(run(Map.of(), "nodes", "delete").code()).isEqualTo(2);
        assertThat(run(Map.of(), "token", "create", "--bogus").code()).isEqualTo(2);
        assertThat(run(Map.of(), "frobnicate").code()).isEqualTo(2);
        Result uses = run(Map.of("WEFT_ADMIN_CREDENTIAL", "x"), "token", "create", "--uses", "0");
        assertThat(uses.code()).isEqualTo(2);
        assertThat(uses.err()).startsWith("weft: token create: --uses must be 1 or more, got 0");
        Result url = run(Map.of("WEFT_ADMIN_CREDENTIAL", "x"), "nodes", "list", "--coordinator", "ftp://example.invalid");
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.err()).startsWith("weft: nodes list: --coordinator 'ftp://example.invalid' is not a coordinator URL");
        Result envUrl = run(Map.of("WEFT_ADMIN_CREDENTIAL", "x", "WEFT_COORDINATOR", "localhost:8080"), "nodes", "list");
        assertThat(envUrl.code()).isEqualTo(2);
        assertThat(envUrl.err()).contains("$WEFT_COORDINATOR 'localhost:8080' is not a coordinator URL");
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Result r = run(Map.of(), "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("token", "nodes", "WEFT_COORDINATOR");
        Result create = run(Map.of(), "token", "create", "--help");
        assertThat(create.code()).isZero();
        assertThat(create.out()).contains("--reusable", "--uses", "--expires", "--tags", "--ephemeral", "--json",
                "--coordinator", "--credential-file");
    }

    @Test
    void createRequestCarriesTheOptions() {
        TokenCommand.Create c = parse(TokenCommand.Create.class, "token", "create", "--uses", "5", "--expires", "7d",
                "--tags", "gateway,edge", "--ephemeral");
        assertThat(c.request().toString())
                .isEqualTo("{\"reusable\":true,\"uses\":5,\"expires\":\"PT168H\",\"tags\":[\"gateway\",\"edge\"],\"ephemeral\":true}");
        TokenCommand.Create plain = parse(TokenCommand.Create.class, "token", "create");
        assertThat(plain.request().toString()).isEqualTo("{\"reusable\":false,\"ephemeral\":false}");
        TokenCommand.Create reusable = parse(TokenCommand.Create.class, "token", "create", "--reusable", "--tags", "a");
        assertThat(reusable.request().toString()).isEqualTo("{\"reusable\":true,\"tags\":[\"a\"],\"ephemeral\":false}");
    }

    private <T> T parse(Class<T> type, String... args) {
        CommandLine cmd = new CommandLine(new WeftCli(Map.of(), dir, AdminClient::newHttpClient, Clock.systemUTC()));
        CommandLine.ParseResult r = cmd.parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return type.cast(r.commandSpec().userObject());
    }

    @Test
    void coordinatorComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        AdminOptions fromOption = parse(TokenCommand.ListTokens.class, "token", "list", "--coordinator", "http://h:1/").admin;
        assertThat(fromOption.coordinatorUri()).isEqualTo(URI.create("http://h:1"));
        AdminOptions byDefault = parse(TokenCommand.ListTokens.class, "token", "list").admin;
        assertThat(byDefault.coordinatorUri()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        CommandLine cmd = new CommandLine(new WeftCli(Map.of("WEFT_COORDINATOR", "https://c.example:8443"), dir,
                AdminClient::newHttpClient, Clock.systemUTC()));
        AdminOptions fromEnv = ((TokenCommand.ListTokens) cmd.parseArgs("token", "list").subcommand().subcommand()
                .commandSpec().userObject()).admin;
        assertThat(fromEnv.coordinatorUri()).isEqualTo(URI.create("https://c.example:8443"));
    }

    @Test
    void credentialComesFromTheFileThenTheEnvironmentThenTheDefaultFile() throws Exception {
        Path given = Files.writeString(dir.resolve("given"), "from-file\n");
        Path fallback = Files.writeString(dir.resolve("fallback"), "  from-default \n");
        Map<String, String> env = Map.of("WEFT_ADMIN_CREDENTIAL", "from-env");
        assertThat(AdminOptions.resolveCredential(given, env, fallback)).isEqualTo("from-file");
        assertThat(AdminOptions.resolveCredential(null, env, fallback)).isEqualTo("from-env");
        assertThat(AdminOptions.resolveCredential(null, Map.of("WEFT_ADMIN_CREDENTIAL", " "), fallback)).isEqualTo("from-default");
        assertThatThrownBy(() -> AdminOptions.resolveCredential(dir.resolve("missing"), env, fallback))
                .hasMessage("cannot read the admin credential: --credential-file " + dir.resolve("missing") + ": no such file");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> AdminOptions.resolveCredential(empty, env, fallback)).hasMessageContaining("is empty");
    }

    @Test
    void missingCredentialSaysWhatWasTried() {
        Result r = run(Map.of(), "token", "list");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("weft: token list: no admin credential: tried --credential-file (not given), "
                + "$WEFT_ADMIN_CREDENTIAL (not set) and " + dir.resolve("weft-data/admin.credential")
                + " (no such file); pass --credential-file FILE or set WEFT_ADMIN_CREDENTIAL" + System.lineSeparator());
    }

    @Test
    void refusedConnectionIsOneLineNamingTheUrlAndNeverTheCredential() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run(Map.of("WEFT_ADMIN_CREDENTIAL", "s3cret-admin"), "nodes", "list", "--coordinator",
                "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("weft: nodes list: cannot reach the coordinator at http://127.0.0.1:" + port
                + ": connection refused (is it running? see --coordinator)" + System.lineSeparator());
        assertThat(r.out() + r.err()).doesNotContain("s3cret-admin");
    }

    @Test
    void problemDetailsBecomeOneLine() {
        assertThat(AdminClient.problemLine(401,
                "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"a valid credential is required\"}"))
                .isEqualTo("401 Unauthorized: a valid credential is required");
        assertThat(AdminClient.problemLine(404, "{\"title\":\"Not Found\",\"status\":404}")).isEqualTo("404 Not Found");
        assertThat(AdminClient.problemLine(404, "{\"title\":\"Not found\",\"detail\":\"no token \"}")).isEqualTo("404 Not found: no token");
        assertThat(AdminClient.problemLine(400, "{\"title\":\"Bad Request\",\"detail\":\"bad\\nspec\",\"problems\":[\"f:1: a\",\"f:2: b\"]}"))
                .isEqualTo("400 Bad Request: bad spec: f:1: a; f:2: b");
        assertThat(AdminClient.problemLine(502, "<html>proxy</html>")).isEqualTo("502 Bad Gateway");
        assertThat(AdminClient.problemLine(599, "")).isEqualTo("599 Error");
        assertThat(AdminClient.unreachable(URI.create("http://h:1"), new ConnectException()))
                .isEqualTo("cannot reach the coordinator at http://h:1: connection refused (is it running? see --coordinator)");
    }

    static JsonNode json(String text) throws IOException {
        return AdminClient.JSON.readTree(text);
    }

    @Test
    void createdTokenPrintsTheSecretFirstThenWhatItAllows() throws IOException {
        JsonNode t = json("{\"createdAt\":\"2026-11-30T05:00:00.123456Z\",\"ephemeral\":false,\"expiresAt\":\"2026-11-30T06:00:00.123456Z\","
                + "\"id\":\"tok1\",\"reusable\":false,\"secret\":\"SECRET\",\"tags\":[\"a\",\"b\"],\"used\":0,\"usesLeft\":1}");
        assertThat(AdminOutput.createdToken(t)).isEqualTo("""
                token: SECRET
                id: tok1
                expires: 2026-11-30T06:00:00Z
                uses: 1
                tags: a,b
                ephemeral: no
                """);
        JsonNode forever = json("{\"id\":\"tok2\",\"secret\":\"S\",\"reusable\":true,\"used\":0,\"tags\":[],\"ephemeral\":true}");
        assertThat(AdminOutput.createdToken(forever)).contains("expires: never\n", "uses: unlimited\n", "tags: -\n",
                "ephemeral: yes\n");
    }

    @Test
    void tokenTableAlignsColumnsAndShowsState() throws IOException {
        JsonNode list = json("[{\"id\":\"aaaa\",\"reusable\":false,\"usesLeft\":1,\"used\":0,\"tags\":[\"gw\"],\"ephemeral\":false,"
                + "\"createdAt\":\"2026-11-30T04:00:00Z\",\"expiresAt\":\"2026-11-30T06:00:00Z\"},"
                + "{\"id\":\"b\",\"reusable\":true,\"used\":3,\"tags\":[],\"ephemeral\":true,\"createdAt\":\"2026-11-30T04:00:00Z\"},"
                + "{\"id\":\"c\",\"reusable\":false,\"usesLeft\":0,\"used\":1,\"tags\":[],\"ephemeral\":false,\"createdAt\":\"2026-11-30T04:00:00Z\"},"
                + "{\"id\":\"d\",\"reusable\":false,\"usesLeft\":1,\"used\":0,\"tags\":[],\"ephemeral\":false,"
                + "\"createdAt\":\"2026-11-30T03:00:00Z\",\"expiresAt\":\"2026-11-30T04:00:00Z\"}]");
        assertThat(AdminOutput.tokens(list, NOW)).isEqualTo("""
                ID    STATE    USED  LEFT       TAGS  EPHEMERAL  EXPIRES               CREATED
                aaaa  active   0     1          gw    no         2026-11-30T06:00:00Z  2026-11-30T04:00:00Z
                b     active   3     unlimited  -     yes        never                 2026-11-30T04:00:00Z
                c     used up  1     0          -     no         never                 2026-11-30T04:00:00Z
                d     expired  0     1          -     no         2026-11-30T04:00:00Z  2026-11-30T03:00:00Z
                """);
        assertThat(AdminOutput.tokens(json("[]"), NOW)).isEqualTo("no tokens\n");
        assertThat(AdminOutput.tokens(list, NOW)).doesNotContain("secret");
    }

    @Test
    void nodeTableShowsAddressesStateAndEndpoint() throws IOException {
        JsonNode list = json("[{\"id\":\"n1\",\"hostname\":\"gw-a\",\"publicKey\":\"k\",\"addresses\":[\"100.64.0.1/32\",\"fd00::1/128\"],"
                + "\"tags\":[\"gateway\"],\"endpoints\":[\"198.51.100.7:51820\"],\"observed\":\"203.0.113.9:40000\",\"online\":true,"
                + "\"expired\":false,\"ephemeral\":false,\"joinedAt\":\"2026-11-30T04:59:59.5Z\"},"
                + "{\"id\":\"n2\",\"hostname\":\"h\\u001b[31m\",\"addresses\":[],\"tags\":[],\"endpoints\":[],\"online\":false,"
                + "\"expired\":true,\"ephemeral\":true,\"joinedAt\":\"2026-11-30T04:00:00Z\"}]");
        assertThat(AdminOutput.nodes(list)).isEqualTo("""
                ID  HOSTNAME  ADDRESSES                  TAGS     STATE              ENDPOINT           JOINED
                n1  gw-a      100.64.0.1/32,fd00::1/128  gateway  online             203.0.113.9:40000  2026-11-30T04:59:59Z
                n2  h?[31m    -                          -        expired,ephemeral  -                  2026-11-30T04:00:00Z
                """);
        assertThat(AdminOutput.nodes(json("[]"))).isEqualTo("no nodes\n");
    }
}
