package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * A distribution judge for latency, as Kayenta judges: the samples after the deploy against the baseline's samples,
 * by a one-sided Mann-Whitney U test ("after is stochastically greater"), together with a minimum effect on the
 * median ({@code rise > 50%} by default). commons-math3's {@code MannWhitneyUTest} answers only the two-sided
 * p-value; this judge computes U of the samples after the deploy from the same ranks (ties averaged) and takes the
 * one-sided p-value from the same normal approximation, without continuity correction, so that twice it equals
 * {@code MannWhitneyUTest}'s p-value when the samples after are the greater.
 * <p>
 * It looks after every sample once it has its minimum samples (default 20 after the deploy and 10 in the baseline)
 * and trips when {@code p < alpha / looks} (the looks it can make in the watch: a Bonferroni split, so that looking
 * every interval does not inflate the false-trip rate) and the median after is at least the baseline median raised
 * by the effect. At the end of the watch with its minimum samples and no trip, it passes.
 * <p>
 * Below its minimum samples it falls back to the median rule, once, at the end of the watch: with at least
 * {@value #MEDIAN_RULE_SAMPLES} samples after the deploy and a baseline, it trips when their median is at least the
 * baseline median raised by the effect and passes otherwise; with fewer, or without a baseline, or with a baseline
 * median of 0 (no relative effect exists), it is inconclusive. Not thread-safe; the {@code Analysis} holding it is.
 */
public final class MannWhitneyJudge {
    /** Samples after the deploy the median rule needs. */
    public static final int MEDIAN_RULE_SAMPLES = 3;
    /** The default minimum samples after the deploy for the U test. */
    public static final int DEFAULT_MIN_SAMPLES = 20;
    /** The default minimum baseline samples for the U test. */
    public static final int DEFAULT_MIN_BASELINE = 10;
    /** The default effect. */
    public static final Effect DEFAULT_EFFECT = new Effect(Effect.Kind.RISE, 0.5, false);
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private final Settings settings;
    private final double[] baseline;
    private final double baselineMedian;
    private final List<Double> after = new ArrayList<>();
    private Judgement decided;

    /**
     * How the judge is set.
     *
     * @param effect
     *         the rise of the median to detect ({@code rise > 50%}); only a rise in percent
     * @param alpha
     *         this probe's false-trip probability for the whole watch
     * @param minSamples
     *         samples after the deploy the U test needs
     * @param minBaseline
     *         baseline samples the U test needs
     * @param looks
     *         how many times it can look in the watch (the planned samples from the minimum on), at least 1
     */
    public record Settings(Effect effect, double alpha, int minSamples, int minBaseline, int looks) {
        /** Validates. */
        public Settings {
            effect = effect == null ? DEFAULT_EFFECT : effect;
            if (effect.kind() != Effect.Kind.RISE || effect.points()) {
                throw new IllegalArgumentException("analysis.effect: the mann-whitney judge looks for a rise of the "
                        + "median in percent, e.g. 'rise > 50%', got '" + effect.describe() + "'");
            }
            AlphaBudget.probability("analysis.alpha", alpha, AlphaBudget.DEFAULT_ALPHA);
            if (minSamples < 2 || minBaseline < 2) {
                throw new IllegalArgumentException("analysis.minSamples: the mann-whitney judge needs at least 2 "
                        + "samples on each side, got " + Math.min(minSamples, minBaseline));
            }
            looks = Math.max(1, looks);
        }

        /**
         * Returns the defaults for a watch.
         *
         * @param plannedSamples
         *         the samples the watch takes
         * @return rise > 50%, alpha 0.01, 20 samples after and 10 before
         */
        public static Settings defaults(final int plannedSamples) {
            return new Settings(DEFAULT_EFFECT, AlphaBudget.DEFAULT_ALPHA, DEFAULT_MIN_SAMPLES, DEFAULT_MIN_BASELINE,
                    plannedSamples - DEFAULT_MIN_SAMPLES + 1);
        }
    }

    /**
     * Creates a judge.
     *
     * @param settings
     *         how it is set
     * @param baseline
     *         the baseline's sample values (finite ones are kept)
     */
    public MannWhitneyJudge(final Settings settings, final List<Double> baseline) {
        this.settings = settings;
        this.baseline = baseline.stream().filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue)
                .toArray();
        this.baselineMedian = median(this.baseline);
    }

    /**
     * Adds one sample's value after the deploy and judges.
     *
     * @param value
     *         the value; a value that is not finite is not added
     * @return trip, or keep watching (below the minimum samples, or no evidence yet); once tripped, the trip
     */
    public Judgement add(final double value) {
        if (decided != null) {
            return decided;
        }
        if (Double.isFinite(value)) {
            after.add(value);
        }
        Judgement now = judge(false);
        if (now.decision() == Decision.TRIP) {
            decided = now;
        }
        return now;
    }

    /** @return the judgement at the end of the watch: trip, pass or inconclusive */
    public Judgement end() {
        return decided != null ? decided : judge(true);
    }

    /** @return whether the U test has its minimum samples */
    public boolean hasMinimumSamples() {
        return after.size() >= settings.minSamples() && baseline.length >= settings.minBaseline();
    }

    /**
     * The one-sided p-value that the second sample is stochastically greater than the first.
     *
     * @param before
     *         the first sample
     * @param later
     *         the second sample
     * @return the p-value and z, by the normal approximation of U
     */
    public static double[] oneSided(final double[] before, final double[] later) {
        double[] all = new double[before.length + later.length];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(later, 0, all, before.length, later.length);
        double[] ranks = new NaturalRanking(NaNStrategy.FIXED, TiesStrategy.AVERAGE).rank(all);
        double rankSum = 0;
        for (int i = before.length; i < all.length; i++) {
            rankSum += ranks[i];
        }
        double n1 = before.length;
        double n2 = later.length;
        double u = rankSum - n2 * (n2 + 1) / 2;
        double z = (u - n1 * n2 / 2) / Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
        return new double[] {1 - NORMAL.cumulativeProbability(z), z};
    }

    private Judgement judge(final boolean end) {
        double[] later = after.stream().mapToDouble(Double::doubleValue).toArray();
        if (baseline.length == 0) {
            return fallback(end ? Decision.INCONCLUSIVE : Decision.CONTINUE, "no baseline samples to compare with",
                    later);
        }
        if (baselineMedian == 0) {
            return fallback(end ? Decision.INCONCLUSIVE : Decision.CONTINUE, "the baseline median is 0: no relative "
                    + "effect exists", later);
        }
        double threshold = baselineMedian * (1 + settings.effect().amount());
        double medianAfter = median(later);
        if (!hasMinimumSamples()) {
            return medianRule(end, later, medianAfter, threshold);
        }
        double[] test = oneSided(baseline, later);
        double lookAlpha = settings.alpha() / settings.looks();
        String figures = ("Mann-Whitney U: %d samples after against %d before, median %s against %s (%s needed), "
                + "one-sided p %s against alpha %s / %d looks").formatted(later.length, baseline.length,
                number(medianAfter), number(baselineMedian), number(threshold), String.format(java.util.Locale.ROOT, "%.2g", test[0]),
                number(settings.alpha()), settings.looks());
        if (test[0] < lookAlpha && medianAfter >= threshold) {
            return judgement(Decision.TRIP, "mann-whitney", figures + ": the latency rose", later, threshold,
                    test[1], test[0], settings.alpha());
        }
        return judgement(end ? Decision.PASS : Decision.CONTINUE, "mann-whitney", figures
                + (end ? ": no rise shown" : ""), later, threshold, test[1], test[0], settings.alpha());
    }

    private Judgement medianRule(final boolean end, final double[] later, final double medianAfter,
            final double threshold) {
        String why = "median rule (the U test needs %d samples after and %d before, has %d and %d)".formatted(
                settings.minSamples(), settings.minBaseline(), later.length, baseline.length);
        if (!end) {
            return judgement(Decision.CONTINUE, "median rule", why + ": judged at the end of the watch", later,
                    threshold, null, null, null);
        }
        if (later.length < MEDIAN_RULE_SAMPLES) {
            return judgement(Decision.INCONCLUSIVE, "median rule", why + ": fewer than %d samples after the deploy"
                    .formatted(MEDIAN_RULE_SAMPLES), later, threshold, null, null, null);
        }
        boolean rose = medianAfter >= threshold;
        return judgement(rose ? Decision.TRIP : Decision.PASS, "median rule", "%s: median %s %s %s (baseline %s %s)"
                .formatted(why, number(medianAfter), rose ? "reached" : "is below", number(threshold),
                        number(baselineMedian), settings.effect().describe()), later, threshold, null, null, null);
    }

    private Judgement fallback(final Decision decision, final String why, final double[] later) {
        return judgement(decision, "median rule", "median rule: " + why, later, null, null, null, null);
    }

    private Judgement judgement(final Decision decision, final String method, final String rule, final double[] later,
            final Double threshold, final Double z, final Double p, final Double alpha) {
        return new Judgement(decision, method, rule, later.length, -1, settings.minSamples(), alpha, null,
                baseline.length == 0 ? null : baselineMedian, threshold, z, p);
    }

    /**
     * The median.
     *
     * @param values
     *         values
     * @return their median, NaN for none
     */
    public static double median(final double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String number(final double value) {
        return Numbers.number(value);
    }
}
