package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.io.Serial;
import java.io.Serializable;

/**
 * What a judge says, with the figures behind it for the verdict's explanation.
 *
 * @param decision
 *         trip, pass, keep watching, or inconclusive
 * @param method
 *         {@code sequential}, {@code mann-whitney} or {@code median rule} (the Mann-Whitney judge below its minimum)
 * @param rule
 *         one line a person reads, e.g. {@code sequential test: 9 errors in 112 requests (8.0%) against 1.6% healthy
 *         and 3.2% bad; log-likelihood ratio 4.7 reached the trip bound 4.5}
 * @param sampleSize
 *         the sample judged: trials for a rate (requests, payments), samples after the deploy for a distribution
 * @param events
 *         the bad events among the trials (errors, failed payments), or -1 for a distribution
 * @param minimumSample
 *         the sample below which the judge cannot pass
 * @param alpha
 *         the false-trip probability this probe judged at (its own), or null (median rule)
 * @param beta
 *         the probability of missing the effect, or null (Mann-Whitney)
 * @param healthy
 *         the healthy value: the null bad rate {@code q0} for a rate, the baseline median for a distribution; null
 *         when there is none
 * @param bad
 *         the value that counts as the effect: the bad rate {@code q1}, or the median the effect starts at
 * @param statistic
 *         the log-likelihood ratio (sequential) or the z of U (Mann-Whitney), or null
 * @param pValue
 *         the one-sided p-value (Mann-Whitney), or null
 */
public record Judgement(Decision decision, String method, String rule, long sampleSize, long events,
                        long minimumSample, Double alpha, Double beta, Double healthy, Double bad, Double statistic,
                        Double pValue) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Fills the rule. */
    public Judgement {
        rule = rule == null ? "" : rule;
    }
}
