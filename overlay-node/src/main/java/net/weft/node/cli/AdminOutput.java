package net.weft.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The human form of the admin API's answers: lines for one object, aligned tables for lists. */
final class AdminOutput {

    private AdminOutput() {
    }

    /** The answer to {@code token create}: the secret first (shown this once), then what it allows. */
    static String createdToken(JsonNode t) {
        StringBuilder sb = new StringBuilder();
        sb.append("token: ").append(str(t, "secret")).append('\n');
        sb.append("id: ").append(str(t, "id")).append('\n');
        sb.append("expires: ").append(t.hasNonNull("expiresAt") ? time(t.get("expiresAt")) : "never").append('\n');
        sb.append("uses: ").append(usesLeft(t)).append('\n');
        sb.append("tags: ").append(list(t.get("tags"))).append('\n');
        sb.append("ephemeral: ").append(t.path("ephemeral").asBoolean() ? "yes" : "no").append('\n');
        return sb.toString();
    }

    /** {@code token list}: never a secret (the API has none to give). */
    static String tokens(JsonNode list, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "USED", "LEFT", "TAGS", "EPHEMERAL", "EXPIRES", "CREATED"});
        for (JsonNode t : list) {
            rows.add(new String[] {str(t, "id"), tokenState(t, now), Integer.toString(t.path("used").asInt()),
                    usesLeft(t), list(t.get("tags")), t.path("ephemeral").asBoolean() ? "yes" : "no",
                    t.hasNonNull("expiresAt") ? time(t.get("expiresAt")) : "never", time(t.get("createdAt"))});
        }
        return rows.size() == 1 ? "no tokens\n" : table(rows);
    }

    static String nodes(JsonNode list) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "HOSTNAME", "ADDRESSES", "TAGS", "STATE", "ENDPOINT", "JOINED"});
        for (JsonNode n : list) {
            JsonNode endpoints = n.path("endpoints");
            String endpoint = n.hasNonNull("observed") ? oneLine(n.get("observed").asText())
                    : endpoints.isArray() && !endpoints.isEmpty() ? oneLine(endpoints.get(0).asText()) : "-";
            rows.add(new String[] {str(n, "id"), str(n, "hostname"), list(n.get("addresses")), list(n.get("tags")),
                    nodeState(n), endpoint, time(n.get("joinedAt"))});
        }
        return rows.size() == 1 ? "no nodes\n" : table(rows);
    }

    static String tokenState(JsonNode t, Instant now) {
        Instant expires = instant(t.get("expiresAt"));
        if (expires != null && !expires.isAfter(now)) {
            return "expired";
        }
        JsonNode left = t.get("usesLeft");
        if (left != null && left.isNumber() && left.asInt() <= 0) {
            return "used up";
        }
        return "active";
    }

    static String nodeState(JsonNode n) {
        String s = n.path("expired").asBoolean() ? "expired" : n.path("online").asBoolean() ? "online" : "offline";
        return n.path("ephemeral").asBoolean() ? s + ",ephemeral" : s;
    }

    /** Columns padded to their widest cell, two spaces apart, the last column unpadded. */
    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String usesLeft(JsonNode t) {
        JsonNode left = t.get("usesLeft");
        return left == null || left.isNull() ? "unlimited" : Integer.toString(left.asInt());
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? "-" : oneLine(v.asText());
    }

    private static String list(JsonNode array) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            return "-";
        }
        List<String> items = new ArrayList<>();
        array.forEach(e -> items.add(oneLine(e.asText())));
        return String.join(",", items);
    }

    /** An instant to whole seconds, UTC; text the coordinator sent that is not an instant, as it came. */
    static String time(JsonNode n) {
        Instant i = instant(n);
        if (i != null) {
            return i.truncatedTo(ChronoUnit.SECONDS).toString();
        }
        return n == null || n.isNull() ? "-" : oneLine(n.asText());
    }

    private static Instant instant(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return Instant.ofEpochMilli((long) (n.asDouble() * 1000));
        }
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Values come from the network: no control characters reach the terminal. */
    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
