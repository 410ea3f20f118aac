package net.weft.node.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import net.weft.topology.spec.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A token lifetime as people type it: topology's spec durations ({@code 30m}, {@code 1h30m}, {@code 7d}) or
 * ISO-8601 ({@code PT1H}), longer than zero. The request carries the ISO-8601 form.
 */
final class Expiry implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    /** @throws TypeConversionException with a message that says what is accepted */
    static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        Duration d;
        try {
            d = t.startsWith("P") || t.startsWith("p") ? Duration.parse(t) : Durations.parse(t);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new TypeConversionException("'" + text
                    + "' is not a duration: use whole numbers with s, m, h or d (30m, 1h30m, 7d) or ISO-8601 (PT1H)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + text + "' is not a lifetime: it must be longer than 0");
        }
        return d;
    }
}
