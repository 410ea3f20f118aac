package net.weft.node.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command whose API answer has no body (204) prints: {@code node ID deleted}, or with {@code --json}
 * {@code {"id":"ID","deleted":true}}.
 */
final class Done {

    private Done() {
    }

    static void print(CommandSpec spec, boolean json, String what, String id, String verb) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = AdminClient.JSON.createObjectNode();
            o.put("id", id);
            o.put(verb, true);
            out.println(o);
        } else {
            out.println(what + " " + id + " " + verb);
        }
        out.flush();
    }
}
