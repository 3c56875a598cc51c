package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The change a judge looks for ({@code analysis.effect}), one of:
 * <ul>
 *     <li>{@code rise > 50%}: the counted rate (errors out of requests) or the median (latency) rises by more than 50%
 *     of its healthy value; {@code rise > 2pp}: the rate rises by more than 2 percentage points;</li>
 *     <li>{@code drop > 20%}: the counted rate is a success rate (payments that succeeded) and drops by more than
 *     20% of its healthy value; {@code drop > 5pp}: by more than 5 percentage points. The sequential judge then
 *     judges the failures, {@code 1 - success};</li>
 *     <li>{@code > 5%}: the counted rate is above 5% (the rate to detect, whatever the baseline).</li>
 * </ul>
 * Without an effect the sequential judge looks for the floor: twice the healthy rate and at least one percentage
 * point more ({@link #alternativeBadRate}); the Mann-Whitney judge for {@code rise > 50%}.
 *
 * @param kind
 *         rise, drop or above
 * @param amount
 *         the amount as a fraction: 0.5 for 50%, 0.02 for 2pp
 * @param points
 *         whether the amount is in percentage points (rise and drop only)
 */
public record Effect(Kind kind, double amount, boolean points) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release
    private static final Pattern TEXT = Pattern.compile("(rise|drop)?\\s*>\\s*(\\d+(?:\\.\\d+)?)\\s*(%|pp)");
    /** The floor without an effect: the bad rate at least doubles ... */
    public static final double FLOOR_FACTOR = 2;
    /** ... and rises by at least one percentage point. */
    public static final double FLOOR_POINTS = 0.01;

    /** The direction of an effect. */
    public enum Kind {
        /** The rate or median rises. */
        RISE,
        /** The (success) rate drops. */
        DROP,
        /** The rate is above a fixed value. */
        ABOVE
    }

    /** Validates. */
    public Effect {
        if (kind == null || !(amount > 0) || kind == Kind.ABOVE && (points || amount >= 1)) {
            throw new IllegalArgumentException("analysis.effect: expected e.g. 'rise > 50%', 'drop > 20%', "
                    + "'rise > 2pp' or '> 5%', got " + kind + " " + amount);
        }
    }

    /**
     * Reads an effect.
     *
     * @param text
     *         e.g. {@code rise > 50%}, {@code drop > 20%}, {@code rise > 2pp}, {@code > 5%}
     * @return the effect
     * @throws IllegalArgumentException
     *         naming {@code analysis.effect}, the value and the accepted forms
     */
    public static Effect parse(final String text) {
        String given = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = TEXT.matcher(given);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(fix(text));
        }
        double amount = Double.parseDouble(matcher.group(2)) / 100;
        boolean points = "pp".equals(matcher.group(3));
        Kind kind = matcher.group(1) == null ? Kind.ABOVE : Kind.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
        if (amount <= 0 || kind == Kind.ABOVE && (points || amount >= 1) || kind == Kind.DROP && !points
                && amount >= 1) {
            throw new IllegalArgumentException(fix(text));
        }
        return new Effect(kind, amount, points);
    }

    private static String fix(final String text) {
        return "analysis.effect: expected 'rise > 50%', 'drop > 20%', 'rise > 2pp', 'drop > 5pp' or '> 5%' (a "
                + "positive amount; a drop or a fixed rate below 100%), got '" + text + "'";
    }

    /** @return whether the counted events are successes (a drop), so that the judge counts the failures */
    public boolean countsSuccesses() {
        return kind == Kind.DROP;
    }

    /**
     * Computes the bad rate to detect from the healthy bad rate (errors out of requests, or failed payments out of
     * payments for a drop). Without an effect: the floor, {@code max(2 * q0, q0 + 1pp)}. The result is capped below
     * 1 at {@code (1 + q0) / 2}.
     *
     * @param effect
     *         the effect, or null for the floor
     * @param q0
     *         the healthy bad rate, above 0
     * @return the bad rate to detect; at most {@code q0} when the effect is no rise from it (then nothing can be
     *         judged)
     */
    public static double alternativeBadRate(final Effect effect, final double q0) {
        double q1;
        if (effect == null) {
            q1 = Math.max(FLOOR_FACTOR * q0, q0 + FLOOR_POINTS);
        }
        else if (effect.kind == Kind.ABOVE) {
            q1 = effect.amount;
        }
        else if (effect.points) {
            q1 = q0 + effect.amount;
        }
        else if (effect.kind == Kind.RISE) {
            q1 = q0 * (1 + effect.amount);
        }
        else { // a success rate 1 - q0 dropping by the amount: its failures rise by (1 - q0) * amount
            q1 = q0 + (1 - q0) * effect.amount;
        }
        return q1 >= 1 ? (1 + q0) / 2 : q1;
    }

    /** @return the effect as written, e.g. {@code rise > 50%} */
    public String describe() {
        String amountText = Numbers.number(amount * 100) + (points ? "pp" : "%");
        return kind == Kind.ABOVE ? "> " + amountText : kind.name().toLowerCase(Locale.ROOT) + " > " + amountText;
    }
}
