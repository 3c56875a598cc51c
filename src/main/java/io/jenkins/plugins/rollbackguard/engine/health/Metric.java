package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.ThresholdParser;

/**
 * What a probe measures and in which unit, for explanations a person reads: the value of an HTTP probe without a
 * {@code jsonPointer} is its latency in milliseconds; a probe whose thresholds compare with a percentage
 * ({@code > 5%}) or in percentage points ({@code drop > 5pp}) measures a ratio; any other value has no known unit.
 *
 * @param description
 *         what is measured, e.g. {@code response time of GET https://shop/health}
 * @param unit
 *         {@code ms}, {@code ratio}, or empty for a number of unknown unit
 */
public record Metric(String description, String unit) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release
    /** Milliseconds. */
    public static final String MS = "ms";
    /** A ratio between 0 and 1. */
    public static final String RATIO = "ratio";

    /** Fills nulls. */
    public Metric {
        description = description == null ? "" : description;
        unit = unit == null ? "" : unit;
    }

    /**
     * Describes what a probe measures.
     *
     * @param spec
     *         the probe's configuration
     * @return the metric
     */
    public static Metric of(final ProbeSpec spec) {
        String ratio = isRatio(spec) ? RATIO : "";
        AnalysisSettings analysis = spec.analysis();
        if (analysis.judgeKind() == io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind.SEQUENTIAL) {
            return new Metric("the rate of %s out of %s %s".formatted(analysis.events(), analysis.trials(),
                    spec instanceof HttpProbeSpec http ? "in the answer of " + http.method() + " " + http.url()
                    : spec instanceof PrometheusProbeSpec prometheus ? "on " + prometheus.url()
                    : "printed by " + String.join(" ", ((CommandProbeSpec) spec).command())), RATIO);
        }
        if (spec instanceof HttpProbeSpec http) {
            String target = http.method() + " " + http.url();
            return http.jsonPointer() == null || http.jsonPointer().isEmpty()
                    ? new Metric("response time of " + target, MS)
                    : new Metric("the number at %s in the answer of %s".formatted(http.jsonPointer(), target), ratio);
        }
        if (spec instanceof PrometheusProbeSpec prometheus) {
            return new Metric("%sPromQL %s on %s".formatted(prometheus.aggregation() == null ? ""
                    : prometheus.aggregation() + " of ", prometheus.query(), prometheus.url()), ratio);
        }
        CommandProbeSpec command = (CommandProbeSpec) spec;
        return new Metric(command.valuePattern() == null ? "exit code of " + String.join(" ", command.command())
                : "the number printed by " + String.join(" ", command.command()), ratio);
    }

    private static boolean isRatio(final ProbeSpec spec) {
        for (String threshold : new String[] {spec.failIf(), spec.successIf()}) {
            if (threshold != null && !threshold.isBlank() && (ThresholdParser.comparesPercent(threshold)
                    || threshold.toLowerCase(Locale.ROOT).contains("pp"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Formats a value of this metric with its unit and a precision a person reads: {@code 840 ms}, {@code 7.15 ms},
     * {@code 0.70}, {@code 0.098}; never 4 decimals of noise.
     *
     * @param value
     *         the value
     * @return the text
     */
    public String format(final double value) {
        String number = number(value);
        return MS.equals(unit) ? number + " ms" : number;
    }

    /**
     * Formats a difference of two values of this metric, with its sign and unit: {@code +630 ms}, {@code -0.28}.
     *
     * @param difference
     *         the difference
     * @return the text
     */
    public String formatDifference(final double difference) {
        return (difference > 0 ? "+" : "") + format(difference);
    }

    /**
     * Formats a number for people: no decimals from 100 on, one from 10, two from 0.1, else two significant digits.
     *
     * @param value
     *         the number
     * @return the text
     */
    public static String number(final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        double magnitude = Math.abs(value);
        BigDecimal decimal = BigDecimal.valueOf(value);
        if (magnitude == 0) {
            return "0";
        }
        if (magnitude >= 100) {
            decimal = decimal.setScale(0, RoundingMode.HALF_UP);
        }
        else if (magnitude >= 10) {
            decimal = decimal.setScale(1, RoundingMode.HALF_UP);
        }
        else if (magnitude >= 0.1) {
            decimal = decimal.setScale(2, RoundingMode.HALF_UP);
        }
        else {
            decimal = decimal.round(new MathContext(2, RoundingMode.HALF_UP));
        }
        return decimal.toPlainString();
    }

    /**
     * Formats a fraction as a percentage with one decimal: 0.278 is {@code 27.8%}.
     *
     * @param fraction
     *         the fraction
     * @return the text
     */
    public static String percent(final double fraction) {
        return BigDecimal.valueOf(fraction * 100).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
    }
}
