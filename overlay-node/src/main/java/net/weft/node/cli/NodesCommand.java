package net.weft.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft nodes list|delete|expire}: the nodes that joined. */
@Command(name = "nodes", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
        description = "List, delete and expire nodes.",
        subcommands = {NodesCommand.ListNodes.class, NodesCommand.Delete.class, NodesCommand.Expire.class})
final class NodesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = "List the nodes.")
    static final class ListNodes implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() throws AdminException {
            JsonNode list = admin.client().send("GET", "/api/v1/nodes", null);
            if (list == null || !list.isArray()) {
                throw new AdminException("the coordinator's node list is not a JSON array");
            }
            spec.commandLine().getOut().print(admin.json ? list + "\n" : AdminOutput.nodes(list));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = "Delete a node: out of every map, its addresses freed.")
    static final class Delete implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The node's id (see weft nodes list).")
        String id;

        @Override
        public Integer call() throws AdminException {
            admin.client().send("DELETE", "/api/v1/nodes/" + TokenCommand.segment(id), null);
            Done.print(spec, admin.json, "node", id, "deleted");
            return 0;
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = "Expire a node: out of every map, its credential refused, its addresses kept.")
    static final class Expire implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The node's id (see weft nodes list).")
        String id;

        @Override
        public Integer call() throws AdminException {
            admin.client().send("POST", "/api/v1/nodes/" + TokenCommand.segment(id) + "/expire", null);
            Done.print(spec, admin.json, "node", id, "expired");
            return 0;
        }
    }
}
