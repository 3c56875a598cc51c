package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a verdict is what it is, as data: the rule that decided, what was measured and in which unit, the baseline,
 * the observed value and its change against the baseline, the threshold, the samples considered. Written once per
 * verdict into the ledger (the point's {@code explanation}), shown once in the timeline ({@link #text}), and given
 * as it is to {@code --json}, webhooks and the build page. Every field but {@code rule} and {@code text} may be
 * absent (a deploy that failed has no probe, an error rule no observed value, an absolute threshold no baseline).
 *
 * @param probe
 *         the deciding probe, or null when no probe decided (the deploy failed)
 * @param status
 *         the verdict's status
 * @param rule
 *         the rule that decided, e.g. {@code 2 failures exceed failureLimit 1}
 * @param metric
 *         what is measured, e.g. {@code response time of GET https://shop/}, or null
 * @param unit
 *         {@code ms}, {@code ratio}, or empty for a number of unknown unit
 * @param threshold
 *         the thresholds as written, e.g. {@code failIf drop > 20%}, or null
 * @param baseline
 *         the baseline (median sampled before the deploy), or null
 * @param baselineSamples
 *         how many samples the baseline is the median of, or null
 * @param observed
 *         the deciding sample's value, or null when it had none
 * @param change
 *         the relative change of the observed value against the baseline, {@code (observed - baseline) / |baseline|}
 *         (-0.278 is 27.8% below), or null
 * @param changeText
 *         the change as a person reads it: {@code 0.70 is 27.8% below the baseline 0.97 (-27 pp)}, or null
 * @param window
 *         the samples the rule looked at, e.g. {@code 2 of 8 planned samples, every 1s}
 * @param samples
 *         how many samples were taken
 * @param judged
 *         how many were judged (errors and ignored samples are not)
 * @param failures
 *         how many failed
 * @param detail
 *         the deciding sample's detail (masked), or null
 * @param at
 *         when the deciding sample was taken, or null
 * @param text
 *         the whole explanation in one line, values with their unit; computed when null
 * @param judge
 *         the statistical judge that decided: {@code sequential}, {@code mann-whitney} or {@code median rule} (its
 *         fallback), or null for thresholds
 * @param sampleSize
 *         the sample the judge judged: trials (requests, payments) for {@code sequential}, values after the deploy
 *         for {@code mann-whitney}; null for thresholds
 * @param alpha
 *         the false-trip probability the probe judged at (its own), or null
 * @param beta
 *         the probability of missing the effect (sequential), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerdictExplanation(String probe, VerdictStatus status, String rule, String metric, String unit,
                                 String threshold, Double baseline, Integer baselineSamples, Double observed,
                                 Double change, String changeText, String window, int samples, int judged,
                                 int failures, String detail, Instant at, String text, String judge, Long sampleSize,
                                 Double alpha, Double beta) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release; a stream without the judge's fields reads null

    /** Computes the one-line text when it is not given. */
    public VerdictExplanation {
        rule = rule == null ? "" : rule;
        // to the millisecond, as the journal keeps times: the record read back equals the one written
        at = at == null ? null : at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (text == null) {
            text = line(probe, status, rule, unit, threshold, observed, changeText, window, samples, detail)
                    + judged(judge, sampleSize, alpha, beta);
        }
    }

    /**
     * Creates an explanation of a threshold verdict, without a statistical judge.
     *
     * @param probe
     *         see the record
     * @param status
     *         see the record
     * @param rule
     *         see the record
     * @param metric
     *         see the record
     * @param unit
     *         see the record
     * @param threshold
     *         see the record
     * @param baseline
     *         see the record
     * @param baselineSamples
     *         see the record
     * @param observed
     *         see the record
     * @param change
     *         see the record
     * @param changeText
     *         see the record
     * @param window
     *         see the record
     * @param samples
     *         see the record
     * @param judged
     *         see the record
     * @param failures
     *         see the record
     * @param detail
     *         see the record
     * @param at
     *         see the record
     * @param text
     *         see the record
     */
    @SuppressWarnings("checkstyle:ParameterNumber") // the record's own components
    public VerdictExplanation(final String probe, final VerdictStatus status, final String rule, final String metric,
            final String unit, final String threshold, final Double baseline, final Integer baselineSamples,
            final Double observed, final Double change, final String changeText, final String window,
            final int samples, final int judged, final int failures, final String detail, final Instant at,
            final String text) {
        this(probe, status, rule, metric, unit, threshold, baseline, baselineSamples, observed, change, changeText,
                window, samples, judged, failures, detail, at, text, null, null, null, null);
    }

    /**
     * Returns a copy that names the statistical judge that decided, with its sample size, alpha and beta (the
     * one-line text says them too, when it was computed).
     *
     * @param judgeName
     *         {@code sequential}, {@code mann-whitney} or {@code median rule}
     * @param size
     *         the sample judged
     * @param judgeAlpha
     *         the alpha, or null
     * @param judgeBeta
     *         the beta, or null
     * @return the copy
     */
    public VerdictExplanation withJudge(final String judgeName, final long size, final Double judgeAlpha,
            final Double judgeBeta) {
        return new VerdictExplanation(probe, status, rule, metric, unit, threshold, baseline, baselineSamples,
                observed, change, changeText, window, samples, judged, failures, detail, at,
                text + judged(judgeName, size, judgeAlpha, judgeBeta), judgeName, size, judgeAlpha, judgeBeta);
    }

    private static String judged(final String judge, final Long sampleSize, final Double alpha, final Double beta) {
        if (judge == null) {
            return "";
        }
        return "; %s judge, sample %d%s%s".formatted(judge, sampleSize == null ? 0 : sampleSize,
                alpha == null ? "" : ", alpha " + Metric.number(alpha), beta == null ? "" : ", beta "
                        + Metric.number(beta));
    }

    /**
     * Explains a verdict that no probe decided, e.g. a failed deploy.
     *
     * @param status
     *         the status
     * @param rule
     *         what decided, one line
     * @return the explanation
     */
    public static VerdictExplanation of(final VerdictStatus status, final String rule) {
        return new VerdictExplanation(null, status, rule, null, null, null, null, null, null, null, null, null, 0, 0,
                0, null, null, rule, null, null, null, null);
    }

    /**
     * Computes how a value compares with its baseline.
     *
     * @param metric
     *         what is measured (for the unit)
     * @param observed
     *         the value
     * @param baseline
     *         the baseline
     * @param baselineSamples
     *         how many samples the baseline is the median of
     * @param points
     *         whether the thresholds speak in percentage points ({@code drop > 5pp}): the difference is then given so
     * @return e.g. {@code 0.70 is 27.8% below the baseline 0.97 (median of 5 samples)}
     */
    public static String describeChange(final Metric metric, final double observed, final double baseline,
                                        final int baselineSamples, final boolean points) {
        double difference = observed - baseline;
        String base = "the baseline %s%s".formatted(metric.format(baseline), baselineSamples > 1
                ? " (median of %d samples)".formatted(baselineSamples) : "");
        if (difference == 0) {
            return "%s is equal to %s".formatted(metric.format(observed), base);
        }
        String direction = difference < 0 ? "below" : "above";
        String absolute = points ? (difference > 0 ? "+" : "") + Metric.number(difference * 100) + " pp"
                : metric.formatDifference(difference);
        if (baseline == 0) {
            return "%s is %s %s (%s)".formatted(metric.format(observed), direction, base, absolute);
        }
        return "%s is %s %s %s, %s".formatted(metric.format(observed), Metric.percent(Math.abs(difference / baseline)),
                direction, base, absolute);
    }

    private static String line(final String probe, final VerdictStatus status, final String rule, final String unit,
                               final String threshold, final Double observed, final String changeText,
                               final String window, final int samples, final String detail) {
        if (probe == null) {
            return rule;
        }
        StringBuilder line = new StringBuilder(probe).append(' ').append(status).append(": ");
        if (changeText != null) {
            line.append(changeText);
        }
        else if (observed != null) { // compared with an absolute threshold: a ratio is also given as the percentage
            line.append(new Metric("", unit).format(observed))
                    .append(Metric.RATIO.equals(unit) ? " (" + Metric.percent(observed) + ")" : "");
        }
        else {
            line.append("no value").append(detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
        }
        if (threshold != null && !threshold.isEmpty()) {
            line.append("; ").append(threshold);
        }
        line.append("; ").append(rule);
        if (window != null) {
            line.append("; ").append(window);
        }
        else if (samples > 0) {
            line.append("; ").append(samples).append(samples == 1 ? " sample" : " samples");
        }
        return line.toString();
    }

    /**
     * Returns a copy with every text passed through a function (a masker: a probe's URL or detail may quote a
     * secret of the run).
     *
     * @param mask
     *         the function
     * @return the copy
     */
    public VerdictExplanation mapTexts(final UnaryOperator<String> mask) {
        return new VerdictExplanation(probe, status, apply(mask, rule), apply(mask, metric), unit,
                apply(mask, threshold), baseline, baselineSamples, observed, change, apply(mask, changeText),
                apply(mask, window), samples, judged, failures, apply(mask, detail), at, apply(mask, text), judge,
                sampleSize, alpha, beta);
    }

    private static String apply(final UnaryOperator<String> mask, final String value) {
        return value == null ? null : mask.apply(value);
    }
}
