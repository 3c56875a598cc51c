package io.jenkins.plugins.rollbackguard.engine.health.judge;

/**
 * How a deploy's false-trip probability is controlled: {@code analysis.alpha} is the probability that a healthy
 * deploy trips, for the whole deploy. Each of the policy's probes judged by a statistical judge gets an equal share
 * of it (Bonferroni: with 3 such probes and {@code alpha: 0.01}, each judges at 0.0033), so that the chance that any
 * of them trips a healthy deploy stays at most alpha. A probe whose {@code alpha} differs from the others keeps its
 * own value divided by the same count. Threshold probes are not counted: they have no alpha.
 */
public final class AlphaBudget {
    /** The default false-trip probability of a deploy. */
    public static final double DEFAULT_ALPHA = 0.01;
    /** The default probability of missing the effect (the test's power is {@code 1 - beta}). */
    public static final double DEFAULT_BETA = 0.1;

    private AlphaBudget() {
    }

    /**
     * Splits a deploy's alpha across its judged probes.
     *
     * @param deployAlpha
     *         the deploy's alpha, between 0 and 1
     * @param judgedProbes
     *         how many of the policy's probes use a statistical judge (at least 1 counted)
     * @return the alpha of one probe
     */
    public static double perProbe(final double deployAlpha, final int judgedProbes) {
        return deployAlpha / Math.max(1, judgedProbes);
    }

    /**
     * Checks a probability setting.
     *
     * @param field
     *         the field, e.g. {@code analysis.alpha}
     * @param value
     *         the value, or null
     * @param fallback
     *         the default
     * @return the value, or the default when null
     * @throws IllegalArgumentException
     *         naming the field and value, when it is not strictly between 0 and 0.5
     */
    public static double probability(final String field, final Double value, final double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value > 0 && value < 0.5)) {
            throw new IllegalArgumentException("%s: must be above 0 and below 0.5, e.g. 0.01, got %s".formatted(field,
                    value));
        }
        return value;
    }
}
