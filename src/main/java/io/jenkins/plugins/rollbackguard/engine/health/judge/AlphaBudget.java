package io.jenkins.plugins.rollbackguard.engine.health.judge;

/**
 * How the false-trip probability is controlled: {@code analysis.alpha} is the probability that this probe trips a
 * healthy deploy, however often it looks (the sequential test's trip bound {@code ln(1 / alpha)} holds by Ville's
 * inequality at every look; the Mann-Whitney judge splits its alpha over its looks). A deploy's false-trip
 * probability is then at most the sum of its judged probes' alphas (the union bound: 3% for three probes at the
 * default 0.01); to hold a whole deploy to 1%, share 0.01 among its probes, the most where the evidence is most
 * plentiful (the docs' seed policy: errors 0.007, payments 0.002, page-load 0.001). Not split by default: each
 * probe's own bound is what one can read off its verdict, and a policy can put its alpha where it buys the most
 * speed. At low traffic the measured false trips stay far below the sum, the healthy rate being an upper bound; at
 * high traffic they approach it (the replay benchmark, docs/benchmarks.md). Threshold probes have no alpha.
 */
public final class AlphaBudget {
    /** The default false-trip probability of one judged probe. */
    public static final double DEFAULT_ALPHA = 0.01;
    /** The default probability of missing the effect (the test's power is {@code 1 - beta}). */
    public static final double DEFAULT_BETA = 0.1;

    private AlphaBudget() {
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
