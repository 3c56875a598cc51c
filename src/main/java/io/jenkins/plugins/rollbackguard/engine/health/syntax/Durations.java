package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import java.time.Duration;
import java.util.List;

/**
 * Parses the durations of policy files: one or more groups of digits and a unit, largest unit first,
 * each unit at most once, e.g. {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}.
 * Units: {@code d}, {@code h}, {@code m}, {@code s}, {@code ms}. Each group has at most 9 digits.
 */
public final class Durations {
    private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");
    private static final int MAX_DIGITS = 9;
    private static final String EXPECTED_UNIT = "a unit (d, h, m, s, ms)";

    private Durations() {
        // static helpers only
    }

    /**
     * Parses a duration.
     *
     * @param field
     *         the policy field (path), named in the error message
     * @param text
     *         the text, e.g. {@code 1h30m}; surrounding blanks are ignored
     * @return the duration, zero or positive
     * @throws SyntaxException
     *         if the text is null, blank or not a duration; the message names field, text, position and
     *         what was expected
     */
    public static Duration parse(final String field, final String text) {
        if (text == null || text.isBlank()) {
            throw new SyntaxException(field, String.valueOf(text), 1, "a duration such as 30s, 5m, 1h30m or 250ms");
        }
        String s = text.strip();
        Duration total = Duration.ZERO;
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start || i - start > MAX_DIGITS) {
                throw new SyntaxException(field, text, start + 1, i == start ? "a digit" : "at most 9 digits");
            }
            long amount = Long.parseLong(s.substring(start, i));
            int unit = unitAt(s, i);
            if (unit < 0) {
                throw new SyntaxException(field, text, i + 1, EXPECTED_UNIT);
            }
            if (unit <= lastUnit) {
                throw new SyntaxException(field, text, i + 1, "a unit smaller than '" + UNITS.get(lastUnit) + "'");
            }
            total = total.plus(toDuration(amount, unit));
            lastUnit = unit;
            i += UNITS.get(unit).length();
        }
        return total;
    }

    /**
     * Formats a duration the way {@link #parse(String, String)} reads it, e.g. {@code 1h30m}.
     *
     * @param duration
     *         a zero or positive duration
     * @return the text
     */
    public static String format(final Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        append(text, duration.toDaysPart(), "d");
        append(text, duration.toHoursPart(), "h");
        append(text, duration.toMinutesPart(), "m");
        append(text, duration.toSecondsPart(), "s");
        append(text, duration.toMillisPart(), "ms");
        return text.length() == 0 ? "0s" : text.toString();
    }

    private static void append(final StringBuilder text, final long amount, final String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private static int unitAt(final String s, final int i) {
        if (s.startsWith("ms", i)) {
            return UNITS.indexOf("ms");
        }
        return i < s.length() ? UNITS.indexOf(String.valueOf(s.charAt(i))) : -1;
    }

    private static Duration toDuration(final long amount, final int unit) {
        return switch (UNITS.get(unit)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMillis(amount);
        };
    }
}
