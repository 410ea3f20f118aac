package net.weft.topology.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node remembers its line, read token by token from
 * Jackson's YAML parser. Duplicate keys are kept out of the tree and reported.
 */
final class YamlTree {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlTree() {
    }

    /** A node of the tree. {@code line} is 1-based. */
    sealed interface Value permits Scalar, Mapping, Sequence {
        int line();
    }

    /** A scalar: {@code token} says whether YAML typed it as a string, number, boolean or null. */
    record Scalar(String text, JsonToken token, int line) implements Value {
        boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }
    }

    /** A field of a mapping, with the line of its key. */
    record Field(String key, int keyLine, Value value) {
    }

    /** A mapping in document order. {@code line} is the line of the key that holds it (or its own start). */
    record Mapping(Map<String, Field> fields, int line) implements Value {
    }

    /** A sequence. {@code line} is the line of the key that holds it (or its own start). */
    record Sequence(List<Value> items, int line) implements Value {
    }

    /** A duplicate key or syntax error met while reading. */
    record ReadError(int document, int line, String path, String message) {
    }

    /** The documents of one YAML stream, and errors met reading it (a syntax error ends the stream). */
    record Stream(List<Value> documents, List<Integer> documentLines, List<ReadError> errors) {
    }

    static Stream read(String text) {
        List<Value> docs = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<ReadError> errors = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = line(p);
                Value v = readValue(p, t, line, "", docs.size(), errors);
                docs.add(v);
                lines.add(line);
            }
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            // snakeyaml's message interleaves source excerpts (indented lines) with the reasons: keep the reasons
            String reasons = e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                    .map(String::strip).collect(java.util.stream.Collectors.joining("; "));
            errors.add(new ReadError(docs.size(), line, "", "YAML syntax error: " + reasons));
        } catch (IOException e) {
            errors.add(new ReadError(docs.size(), 0, "", "cannot read: " + e.getMessage()));
        }
        return new Stream(docs, lines, errors);
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static Value readValue(JsonParser p, JsonToken t, int holderLine, String path, int doc,
            List<ReadError> errors)
            throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Field> fields = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    Value child = readValue(p, p.nextToken(), keyLine, childPath, doc, errors);
                    if (fields.containsKey(key)) {
                        errors.add(new ReadError(doc, keyLine, childPath, "duplicate field (first at line "
                                + fields.get(key).keyLine() + ")"));
                    } else {
                        fields.put(key, new Field(key, keyLine, child));
                    }
                }
                return new Mapping(fields, holderLine);
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(readValue(p, i, line(p), path + "[" + items.size() + "]", doc, errors));
                }
                return new Sequence(items, holderLine);
            }
            default -> {
                String text = t == JsonToken.VALUE_NULL ? null : p.getText();
                return new Scalar(text, t, line(p));
            }
        }
    }
}
