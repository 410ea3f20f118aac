package net.weft.labs.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric tables of the README's {@code ## Metrics} section: under each {@code ### } heading the first
 * Markdown table with the columns {@code metric}, {@code type}, {@code labels} and {@code meaning} (in any order,
 * others allowed), one row per metric. Names and labels are written in backticks; an empty labels cell means none.
 */
final class DocumentedMetrics {

    /** One documented metric: the name a query uses (counters with {@code _total}), its type, its label names. */
    record Metric(String name, String type, Set<String> labels, String unit) {
    }

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final List<String> REQUIRED = List.of("metric", "type", "labels", "meaning");

    private DocumentedMetrics() {
    }

    /** The tables of {@code readme}'s Metrics section, by the text of their {@code ### } heading, in order. */
    static Map<String, List<Metric>> read(Path readme) {
        try {
            return parse(Files.readString(readme, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, List<Metric>> parse(String markdown) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf("## Metrics");
        if (start < 0) {
            throw new AssertionError("the README has no '## Metrics' section");
        }
        Map<String, List<Metric>> tables = new LinkedHashMap<>();
        String heading = null;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                break; // the next section
            }
            if (line.startsWith("### ")) {
                heading = line.substring(4).strip();
            } else if (line.startsWith("|") && heading != null && !tables.containsKey(heading)) {
                List<Metric> rows = new ArrayList<>();
                i = table(lines, i, heading, rows) - 1;
                tables.put(heading, rows);
            }
        }
        return tables;
    }

    /** Reads the table starting at {@code lines[at]} into {@code out}; returns the index of the first line after it. */
    private static int table(List<String> lines, int at, String heading, List<Metric> out) {
        List<String> header = cells(lines.get(at)).stream().map(String::toLowerCase).toList();
        for (String column : REQUIRED) {
            if (!header.contains(column)) {
                throw new AssertionError("the table under '### " + heading + "' has no '" + column + "' column: " + header);
            }
        }
        if (at + 1 >= lines.size() || !lines.get(at + 1).matches("\\|[-:| ]+\\|")) {
            throw new AssertionError("the table under '### " + heading + "' has no separator line after its header");
        }
        int metric = header.indexOf("metric");
        int type = header.indexOf("type");
        int labels = header.indexOf("labels");
        int unit = header.indexOf("unit");
        int i = at + 2;
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> row = cells(lines.get(i));
            if (row.size() != header.size()) {
                throw new AssertionError("line " + (i + 1) + " of the README has " + row.size() + " cells, its header "
                        + header.size() + ": " + lines.get(i));
            }
            List<String> names = code(row.get(metric));
            if (names.size() != 1) {
                throw new AssertionError("line " + (i + 1) + " of the README names no single metric in backticks: " + lines.get(i));
            }
            out.add(new Metric(names.get(0), row.get(type).strip(), new TreeSet<>(code(row.get(labels))),
                    unit < 0 ? "" : row.get(unit).strip()));
        }
        return i;
    }

    /**
     * Where {@code documented} and the {@code weft_*} families of {@code scraped} disagree, one line each: a
     * documented metric that is missing, has no sample, or has another type or other label names, and a
     * {@code weft_*} family that is not documented. Empty when they agree.
     */
    static List<String> mismatches(List<Metric> documented, Exposition scraped) {
        List<String> out = new ArrayList<>();
        Map<String, Exposition.Family> exposed = scraped.withPrefix("weft_");
        Set<String> names = new TreeSet<>();
        for (Metric m : documented) {
            if (!names.add(m.name())) {
                out.add(m.name() + ": documented twice");
            }
            Exposition.Family f = exposed.get(m.name());
            if (f == null) {
                out.add(m.name() + ": documented, not exposed");
                continue;
            }
            if (!f.type().equals(m.type())) {
                out.add(m.name() + ": documented as " + m.type() + ", exposed as " + f.type());
            }
            if (f.samples().isEmpty()) {
                out.add(m.name() + ": exposed without a sample");
            } else if (!f.labels().equals(m.labels())) {
                out.add(m.name() + ": documented with labels " + m.labels() + ", exposed with " + f.labels());
            }
        }
        exposed.keySet().stream().filter(n -> !names.contains(n))
                .forEach(n -> out.add(n + ": exposed (" + exposed.get(n).type() + " " + exposed.get(n).labels()
                        + "), not documented"));
        return out;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    private static List<String> code(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
