package io.jenkins.plugins.rollbackguard.engine.health;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP status codes a probe accepts: {@code 200}, {@code 200,204}, {@code 200-299} or {@code 2xx},
 * and comma-separated mixtures of these.
 */
public final class StatusSet {
    private static final Pattern PART = Pattern.compile("\\s*(?:([1-5])xx|(\\d{3})(?:\\s*-\\s*(\\d{3}))?)\\s*");

    private final List<int[]> ranges;
    private final String text;

    private StatusSet(final List<int[]> ranges, final String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /**
     * Parses a status set.
     *
     * @param field
     *         the policy field, for the message
     * @param text
     *         the text
     * @return the set
     * @throws IllegalArgumentException
     *         naming the field and the bad text
     */
    public static StatusSet parse(final String field, final String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        field + ": expected a status, a list, a range or a class such as 2xx, got '" + text + "'");
            }
            if (m.group(1) != null) {
                int base = Integer.parseInt(m.group(1)) * 100;
                ranges.add(new int[] {base, base + 99});
            }
            else {
                int low = Integer.parseInt(m.group(2));
                int high = m.group(3) == null ? low : Integer.parseInt(m.group(3));
                ranges.add(new int[] {low, high});
            }
        }
        return new StatusSet(List.copyOf(ranges), text);
    }

    /**
     * Tells whether a status is accepted.
     *
     * @param status
     *         the HTTP status
     * @return whether it is in the set
     */
    public boolean contains(final int status) {
        return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
    }

    @Override
    public String toString() {
        return text;
    }
}
