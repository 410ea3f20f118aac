package net.weft.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft token create|list|revoke}: join tokens. */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
        description = "Create, list and revoke join tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = {"Create a join token. Its secret is printed this once and never again.",
                    "A single-use token by default; --uses N above 1 makes it reusable."})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Option(names = "--reusable", description = "Allow more than one join (unlimited unless --uses).")
        boolean reusable;

        @Option(names = "--uses", paramLabel = "N", description = "Joins allowed.")
        Integer uses;

        @Option(names = "--expires", paramLabel = "DURATION", converter = Expiry.class,
                description = "Lifetime: 30m, 1h, 7d, 1h30m or ISO-8601 (PT1H). Default: never expires.")
        Duration expires;

        @Option(names = "--tags", paramLabel = "TAGS", split = ",",
                description = "Tags of the nodes that join with it, comma-separated (gateway,edge).")
        List<String> tags;

        @Option(names = "--ephemeral", description = "Nodes that join with it are removed once offline.")
        boolean ephemeral;

        @Override
        public Integer call() throws AdminException {
            ObjectNode body = request();
            JsonNode created = admin.client().send("POST", "/api/v1/tokens", body);
            if (created == null) {
                throw new AdminException("the coordinator created no token (empty answer)");
            }
            spec.commandLine().getOut().print(admin.json ? created + "\n" : AdminOutput.createdToken(created));
            spec.commandLine().getOut().flush();
            return 0;
        }

        /** The request body; validates what the client can. */
        ObjectNode request() {
            if (uses != null && uses < 1) {
                throw new ParameterException(spec.commandLine(), "--uses must be 1 or more, got " + uses);
            }
            ObjectNode body = AdminClient.JSON.createObjectNode();
            boolean multi = reusable || (uses != null && uses > 1);
            body.put("reusable", multi);
            if (uses != null) {
                body.put("uses", uses);
            }
            if (expires != null) {
                body.put("expires", expires.toString());
            }
            if (tags != null) {
                var array = body.putArray("tags");
                for (String t : tags) {
                    String tag = t.strip();
                    if (tag.isEmpty()) {
                        throw new ParameterException(spec.commandLine(), "--tags has an empty tag");
                    }
                    array.add(tag);
                }
            }
            body.put("ephemeral", ephemeral);
            return body;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = "List join tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() throws AdminException {
            JsonNode list = admin.client().send("GET", "/api/v1/tokens", null);
            if (list == null || !list.isArray()) {
                throw new AdminException("the coordinator's token list is not a JSON array");
            }
            spec.commandLine().getOut().print(admin.json ? list + "\n"
                    : AdminOutput.tokens(list, admin.cli().clock().instant()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = "Revoke a join token.")
    static final class Revoke implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The token's id (see weft token list).")
        String id;

        @Override
        public Integer call() throws AdminException {
            admin.client().send("DELETE", "/api/v1/tokens/" + segment(id), null);
            Done.print(spec, admin.json, "token", id, "revoked");
            return 0;
        }
    }

    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
