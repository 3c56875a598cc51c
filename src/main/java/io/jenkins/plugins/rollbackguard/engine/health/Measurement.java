package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One sample of a probe: when it was taken, its value (if any), its outcome and a short masked detail.
 * Serialisable so that a Jenkins step can persist the measurements of a watch.
 *
 * @param at
 *         when the sample started
 * @param value
 *         the measured value, {@link Double#NaN} when there is none (use {@link #optionalValue()})
 * @param outcome
 *         what the sample showed
 * @param detail
 *         one short line, secrets already masked
 * @param events
 *         the events a rate probe counted ({@code analysis.events}: a counter's reading, or the sample's own count), or
 *         null for a probe that counts nothing (and for a sample persisted before counts existed)
 * @param trials
 *         the trials they are out of ({@code analysis.trials}), or null
 * @param readings
 *         how many successive readings of cumulative counters this one stands for (the last of them: its instant and
 *         counts), or null for one; see {@link #foldInto}
 */
public record Measurement(Instant at, double value, Outcome outcome, String detail, Double events, Double trials,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer readings) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks the values. */
    public Measurement {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
        readings = readings == null || readings <= 1 ? null : readings;
    }

    /**
     * Creates a measurement of one reading.
     *
     * @param at
     *         when the sample started
     * @param value
     *         the value, NaN for none
     * @param outcome
     *         the outcome
     * @param detail
     *         a masked detail line
     * @param events
     *         the events counted, or null
     * @param trials
     *         the trials, or null
     */
    public Measurement(final Instant at, final double value, final Outcome outcome, final String detail,
            final Double events, final Double trials) {
        this(at, value, outcome, detail, events, trials, null);
    }

    /** @return how many readings this measurement stands for, at least 1 */
    public int readingCount() {
        return readings == null ? 1 : readings;
    }

    /**
     * Folds this reading of cumulative counters into the one before it: the result is this reading (its instant and
     * counts) standing for both. Counter readings telescope: the increase from the reading before {@code previous}
     * to this one is the sum of the two increases, so a judge fed the folded reading counts what it counted from
     * both. The caller folds only successful readings without a note.
     *
     * @param previous
     *         the reading before this one
     * @return this reading, standing for its own readings and those of {@code previous}
     */
    public Measurement foldInto(final Measurement previous) {
        return new Measurement(at, value, outcome, detail, events, trials, previous.readingCount() + readingCount());
    }

    /**
     * Creates a measurement without counts.
     *
     * @param at
     *         when the sample started
     * @param value
     *         the value, NaN for none
     * @param outcome
     *         the outcome
     * @param detail
     *         a masked detail line
     */
    public Measurement(final Instant at, final double value, final Outcome outcome, final String detail) {
        this(at, value, outcome, detail, null, null);
    }

    /**
     * Creates a successful measurement of a rate probe: its value is {@code events / trials} (NaN without trials).
     *
     * @param at
     *         when the sample started
     * @param events
     *         the events counted (a counter's reading, or the sample's own count)
     * @param trials
     *         the trials
     * @param detail
     *         a masked detail line
     * @return the measurement
     */
    public static Measurement counted(final Instant at, final double events, final double trials,
            final String detail) {
        return new Measurement(at, trials == 0 ? Double.NaN : events / trials, Outcome.SUCCESS, detail, events, trials);
    }

    /**
     * The detail a probe gives a successful reading of counts, e.g. {@code 3 of 412}: it says nothing the counts do
     * not, so that a reading with it is as plain as one without ({@code Analysis} folds both).
     *
     * @param events
     *         the events
     * @param trials
     *         the trials
     * @return the detail
     */
    public static String countsDetail(final double events, final double trials) {
        return "%s of %s".formatted(format(events), format(trials));
    }

    /** @return whether the sample carries counts */
    public boolean hasCounts() {
        return events != null && trials != null;
    }

    /**
     * Creates a measurement with a value.
     *
     * @param at
     *         when the sample started
     * @param value
     *         the value
     * @param outcome
     *         the outcome
     * @param detail
     *         a masked detail line
     * @return the measurement
     */
    public static Measurement of(final Instant at, final double value, final Outcome outcome, final String detail) {
        return new Measurement(at, value, outcome, detail);
    }

    /**
     * Creates a measurement without a value.
     *
     * @param at
     *         when the sample started
     * @param outcome
     *         the outcome
     * @param detail
     *         a masked detail line
     * @return the measurement
     */
    public static Measurement withoutValue(final Instant at, final Outcome outcome, final String detail) {
        return new Measurement(at, Double.NaN, outcome, detail);
    }

    /** @return the value, empty when the sample produced none */
    public OptionalDouble optionalValue() {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * Returns a copy with another outcome and detail, e.g. after the thresholds judged the value.
     *
     * @param newOutcome
     *         the outcome
     * @param newDetail
     *         the detail
     * @return the copy
     */
    public Measurement classify(final Outcome newOutcome, final String newDetail) {
        return new Measurement(at, value, newOutcome, newDetail, events, trials, readings);
    }

    /** @return a short line: outcome, value and detail */
    public String describe() {
        String shown = (optionalValue().isPresent() ? " value=" + format(value) : "")
                + (hasCounts() ? " counts=%s/%s".formatted(format(events), format(trials)) : "");
        return outcome + shown + (detail.isEmpty() ? "" : " (" + detail + ")") + readingsText();
    }

    private String readingsText() {
        return readings == null ? "" : " [the last of " + readings + " readings]";
    }

    /**
     * Returns a short line with the value formatted for people, with its unit: {@code SUCCESS value=7.15 ms (...)}.
     *
     * @param metric
     *         what the value measures
     * @return the line
     */
    public String describe(final Metric metric) {
        String shown = optionalValue().isPresent() ? " value=" + metric.format(value) : "";
        return outcome + shown + (detail.isEmpty() ? "" : " (" + detail + ")") + readingsText();
    }

    /**
     * Formats a value compactly for messages.
     *
     * @param number
     *         the value
     * @return up to 4 decimals, no trailing zeros
     */
    public static String format(final double number) {
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return String.valueOf((long) number);
        }
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            return String.valueOf(number);
        }
        // BigDecimal rather than String.format and a regex: this runs for every sample of every probe
        return java.math.BigDecimal.valueOf(number).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }
}
