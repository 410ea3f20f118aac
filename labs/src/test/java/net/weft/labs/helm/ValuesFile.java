package net.weft.labs.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart's values file and its documentation comments. A value is documented by a comment block directly
 * above its key whose first line starts with {@code # --}; what lies inside a documented value (the keys of
 * a default map, list items) is part of it. A key without such a comment is a group: every value in it must
 * be documented.
 *
 * @param documented the documented values' dotted paths, in file order
 * @param problems   keys that are neither documented nor groups of documented values
 * @param leaves     every scalar in the file by dotted path (list items as {@code path[i]}), as text
 */
record ValuesFile(Set<String> documented, List<String> problems, Map<String, String> leaves) {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_]*):(.*)$");

    private record Key(int indent, String path, boolean documented, int line) {
    }

    static ValuesFile read(Path file) {
        String text;
        JsonNode tree;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            tree = new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> documented = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        Deque<Key> open = new ArrayDeque<>();
        List<Key> groups = new ArrayList<>();
        boolean docComment = false;
        boolean inComment = false;
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String stripped = line.strip();
            if (stripped.startsWith("#")) {
                if (!inComment) {
                    docComment = stripped.startsWith("# --");
                }
                inComment = true;
                continue;
            }
            boolean doc = inComment && docComment;
            inComment = false;
            docComment = false;
            Matcher m = KEY.matcher(line);
            if (stripped.isEmpty() || !m.matches()) {
                continue; // blank lines, list items and the rest of a value
            }
            int indent = m.group(1).length();
            while (!open.isEmpty() && open.peek().indent() >= indent) {
                open.pop();
            }
            if (open.stream().anyMatch(Key::documented)) {
                continue; // inside a documented value
            }
            String path = open.isEmpty() ? m.group(2) : open.peek().path() + "." + m.group(2);
            String inline = m.group(3).strip();
            Key key = new Key(indent, path, doc, i + 1);
            if (doc) {
                documented.add(path);
            } else if (!inline.isEmpty() && !inline.startsWith("#")) {
                problems.add(path + " (line " + (i + 1) + "): a value without a '# --' comment");
            } else {
                groups.add(key);
            }
            open.push(key);
        }
        for (Key g : groups) {
            if (documented.stream().noneMatch(d -> d.startsWith(g.path() + "."))) {
                problems.add(g.path() + " (line " + g.line() + "): neither documented nor holding documented values");
            }
        }
        Map<String, String> leaves = new LinkedHashMap<>();
        flatten(tree, "", leaves);
        return new ValuesFile(documented, problems, leaves);
    }

    private static void flatten(JsonNode node, String path, Map<String, String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.put(path, node.isNull() ? "" : node.asText());
        }
    }
}
