package net.weft.labs.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A scrape in Prometheus' text exposition format (0.0.4, and OpenMetrics' text as far as names go), read into
 * metric families: the type from each {@code # TYPE} line, and each sample line under the family it belongs to.
 *
 * <p>A family is known here by the name a query uses: a counter by its sample's name ending in {@code _total}
 * (the 0.0.4 format types it as {@code x_total}, newer writers as {@code x}: both come out as {@code x_total}), a
 * histogram or summary by its base name (its samples are {@code _bucket}, {@code _count}, {@code _sum}, and
 * {@code _created}; Micrometer's long task timers add {@code _active_count} and {@code _duration_sum}). A sample
 * of no typed family fails the parse when it is a {@code weft_} one and is skipped otherwise. Label names exclude
 * the ones the format adds ({@code le}, {@code quantile}).
 */
final class Exposition {

    /** One family: the name a query uses, its type and label names, and its samples. */
    record Family(String name, String type, Set<String> labels, List<Sample> samples) {
    }

    /** One sample line: its own name, labels (name to value, sorted) and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Set<String> FORMAT_LABELS = Set.of("le", "quantile");

    private final Map<String, Family> families;

    private Exposition(Map<String, Family> families) {
        this.families = Collections.unmodifiableMap(families);
    }

    /** The families of {@code text}, by query name. */
    static Exposition parse(String text) {
        // TYPE lines first: the family each sample belongs to depends on them
        Map<String, String> typeOf = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).strip().split("\\s+");
                if (parts.length != 2) {
                    throw new AssertionError("bad TYPE line: " + line);
                }
                typeOf.put(parts[0], parts[1]);
            }
        }
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        typeOf.keySet().forEach(f -> samples.put(f, new ArrayList<>()));
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Sample s = sample(line);
            String family = familyOf(s.name(), typeOf);
            if (family == null) {
                if (s.name().startsWith("weft_")) {
                    throw new AssertionError("sample without a TYPE line for its family: " + line);
                }
                continue; // another library's naming: not what this reads
            }
            samples.get(family).add(s);
        }
        Map<String, Family> out = new TreeMap<>();
        typeOf.forEach((family, type) -> {
            String name = type.equals("counter") && !family.endsWith("_total") ? family + "_total" : family;
            Set<String> labels = new TreeSet<>();
            samples.get(family).forEach(s -> labels.addAll(s.labels().keySet()));
            labels.removeAll(FORMAT_LABELS);
            if (out.put(name, new Family(name, type, labels, List.copyOf(samples.get(family)))) != null) {
                throw new AssertionError("two TYPE lines for " + name);
            }
        });
        return new Exposition(out);
    }

    /** The family {@code sample} belongs to: its own name, or that name less a suffix its family's type adds. */
    private static String familyOf(String sample, Map<String, String> typeOf) {
        if (typeOf.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_total", "_bucket", "_count", "_sum", "_created", "_gcount", "_gsum",
                "_active_count", "_duration_sum")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (typeOf.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    /** {@code name{a="x",b="y"} value [timestamp]}, with the escapes {@code \\}, {@code \"} and {@code \n}. */
    static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                if (line.charAt(eq + 1) != '"') {
                    throw new AssertionError("unquoted label value: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        return new Sample(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    Map<String, Family> families() {
        return families;
    }

    /** The families whose query name starts with {@code prefix}. */
    Map<String, Family> withPrefix(String prefix) {
        Map<String, Family> out = new TreeMap<>();
        families.forEach((name, f) -> {
            if (name.startsWith(prefix)) {
                out.put(name, f);
            }
        });
        return out;
    }

    /** The value of the sample named {@code sample} with exactly {@code labels}; fails when there is none. */
    double value(String sample, Map<String, String> labels) {
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sample) && s.labels().equals(new TreeMap<>(labels))) {
                    return s.value();
                }
            }
        }
        throw new AssertionError("no sample " + sample + labels);
    }
}
