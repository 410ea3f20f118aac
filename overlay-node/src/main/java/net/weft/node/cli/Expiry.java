package net.weft.node.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A token lifetime as people type it: whole numbers with units {@code s}, {@code m}, {@code h}, {@code d}
 * ({@code 30m}, {@code 1h30m}, {@code 7d}), or ISO-8601 ({@code PT1H}). The coordinator has no day unit, so
 * the request carries the ISO-8601 form.
 */
final class Expiry implements ITypeConverter<Duration> {

    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]{1,6}[smhd])+");
    private static final Pattern PART = Pattern.compile("([0-9]{1,6})([smhd])");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    /** @throws TypeConversionException with a message that says what is accepted */
    static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        Duration d;
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        } else if (WHOLE.matcher(t).matches()) {
            d = Duration.ZERO;
            Matcher m = PART.matcher(t);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
        } else {
            throw invalid(text);
        }
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + text + "' is not a lifetime: it must be longer than 0");
        }
        return d;
    }

    private static TypeConversionException invalid(String text) {
        return new TypeConversionException("'" + text
                + "' is not a duration: use whole numbers with s, m, h or d (30m, 1h30m, 7d) or ISO-8601 (PT1H)");
    }
}
