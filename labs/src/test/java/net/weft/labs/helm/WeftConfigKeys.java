package net.weft.labs.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator's {@code weft.*} setting names, read from the source of its {@code @ConfigMapping}
 * ({@code coordinator/.../config/WeftConfig.java}): labs may not depend on the coordinator module, and the
 * source is what the chart has to follow. A method is a setting, named by its {@code @WithName} or its own
 * name in kebab case; a method returning one of the nested interfaces is a group of settings.
 */
final class WeftConfigKeys {

    static final String SOURCE = "coordinator/src/main/java/net/weft/coordinator/config/WeftConfig.java";

    private static final Pattern BLOCK = Pattern.compile("\\b(interface|enum|class)\\s+(\\w+)");
    private static final Pattern METHOD = Pattern.compile("^\\s*([\\w<>, ?]+?)\\s+(\\w+)\\(\\);");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)");
    private static final Pattern PREFIX = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");

    private record Accessor(String type, String key) {
    }

    private WeftConfigKeys() {
    }

    /** Every setting's full name, e.g. {@code weft.cluster.backup-count}, sorted. */
    static List<String> read(Path repoRoot) {
        String text;
        try {
            text = Files.readString(repoRoot.resolve(SOURCE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher prefix = PREFIX.matcher(text);
        if (!prefix.find()) {
            throw new AssertionError(SOURCE + " has no @ConfigMapping(prefix = ...)");
        }
        Map<String, List<Accessor>> interfaces = new LinkedHashMap<>();
        Deque<String> blocks = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        int depth = 0;
        String withName = null;
        String root = null;
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
                continue; // comments: their braces ({@code ...}) are not blocks
            }
            Matcher block = BLOCK.matcher(line);
            if (block.find() && line.endsWith("{")) {
                blocks.push(block.group(1).equals("interface") ? block.group(2) : "");
                depths.push(depth);
                if (root == null) {
                    root = block.group(2);
                }
                if (block.group(1).equals("interface")) {
                    interfaces.putIfAbsent(block.group(2), new ArrayList<>());
                }
            } else {
                Matcher name = WITH_NAME.matcher(line);
                if (name.find()) {
                    withName = name.group(1);
                }
                Matcher method = METHOD.matcher(line);
                if (method.find() && !blocks.isEmpty() && !blocks.peek().isEmpty()) {
                    String key = withName != null ? withName : method.group(2).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
                    interfaces.get(blocks.peek()).add(new Accessor(method.group(1), key));
                    withName = null;
                }
            }
            for (char ch : line.toCharArray()) {
                if (ch == '{') {
                    depth++;
                } else if (ch == '}') {
                    depth--;
                    if (!depths.isEmpty() && depth == depths.peek()) {
                        depths.pop();
                        blocks.pop();
                    }
                }
            }
        }
        TreeSet<String> keys = new TreeSet<>();
        expand(interfaces, root, prefix.group(1), keys);
        return List.copyOf(keys);
    }

    private static void expand(Map<String, List<Accessor>> interfaces, String type, String prefix, TreeSet<String> out) {
        for (Accessor a : interfaces.get(type)) {
            if (interfaces.containsKey(a.type())) {
                expand(interfaces, a.type(), prefix + "." + a.key(), out);
            } else {
                out.add(prefix + "." + a.key());
            }
        }
    }
}
