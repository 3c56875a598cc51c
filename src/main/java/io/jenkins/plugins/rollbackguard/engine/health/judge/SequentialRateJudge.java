package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.util.Locale;

/**
 * A sequential probability ratio test of a bad-event rate: errors out of requests, or failed payments out of
 * payments when the counted events are successes ({@code drop} effect). After every sample it weighs
 * H0 "the bad rate is the healthy {@code q0}" against H1 "it is {@code q1}" by the log-likelihood ratio
 * {@code x ln(q1/q0) + (n - x) ln((1-q1)/(1-q0))} of {@code x} bad events in {@code n} trials, and
 * <ul>
 *     <li>trips once it reaches {@code ln(1 / alpha)}: under H0 the likelihood ratio is a martingale starting at 1,
 *     so by Ville's inequality it ever reaches {@code 1 / alpha} with probability at most alpha, however often it
 *     looks and however long the watch;</li>
 *     <li>else keeps watching to the end of the watch. It does not stop at Wald's lower bound: a pass there would
 *     end the watch of a bad deploy that happened to start well (with probability beta), while watching on costs
 *     nothing, the watch's length being the policy's.</li>
 * </ul>
 * {@code q0} is the policy's {@code allowedRate} if given, else the one-sided 95% Wilson upper bound of the baseline's
 * bad rate, which is above 0 even when the baseline had no bad event (at 1 request a second a healthy 1% often
 * shows none). {@code q1} comes from the {@link Effect} ({@link Effect#alternativeBadRate}). The minimum sample is
 * the smallest number of trials that could reach Wald's pass bound {@code ln(beta / (1 - alpha))} (all of them good);
 * at the end of the watch a judge that has not tripped passes only when the ratio is at or below that pass bound,
 * else it is inconclusive: it never passes on too little traffic, and a deploy at the effect's bad rate passes with
 * probability at most about beta (a ratio that ends below the bound crossed it, which Wald bounds by
 * {@code beta / (1 - alpha)} under H1). Not thread-safe; the {@code Analysis} holding it is.
 */
public final class SequentialRateJudge {
    /** The confidence of the baseline's upper bound. */
    public static final double BASELINE_CONFIDENCE = 0.95;
    private static final double Z = 1.6448536269514722; // the one-sided 95% normal quantile
    private static final String METHOD = "sequential";

    private final Settings settings;
    private final String unavailable; // why nothing can be judged, else null
    private final double q0;
    private final double q1;
    private final double tripBound;
    private final double passBound;
    private final long minimumSample;
    private long events;
    private long trials;
    private Judgement decided;

    /**
     * How the judge is set.
     *
     * @param effect
     *         the effect to detect, or null for the floor (twice the healthy rate and at least +1pp)
     * @param alpha
     *         this probe's false-trip probability ({@link AlphaBudget})
     * @param beta
     *         the probability of missing the effect
     * @param allowedRate
     *         the healthy rate of the counted events given by the policy (the highest for a rise, the lowest
     *         success rate for a drop), or null to take it from the baseline
     */
    public record Settings(Effect effect, double alpha, double beta, Double allowedRate) {
        /** Validates. */
        public Settings {
            AlphaBudget.probability("analysis.alpha", alpha, AlphaBudget.DEFAULT_ALPHA);
            AlphaBudget.probability("analysis.beta", beta, AlphaBudget.DEFAULT_BETA);
            if (allowedRate != null && !(allowedRate > 0 && allowedRate < 1)) {
                throw new IllegalArgumentException("analysis.allowedRate: must be above 0 and below 1, e.g. 0.02 for "
                        + "2%, got " + allowedRate);
            }
        }

        /** @return the defaults: the floor effect, alpha 0.01, beta 0.1, the healthy rate from the baseline */
        public static Settings defaults() {
            return new Settings(null, AlphaBudget.DEFAULT_ALPHA, AlphaBudget.DEFAULT_BETA, null);
        }
    }

    /**
     * Creates a judge.
     *
     * @param settings
     *         how it is set
     * @param baseline
     *         the counts before the deploy (as counted: successes for a drop); {@link RateCounts#NONE} when none,
     *         which leaves nothing to judge unless the policy gives {@code allowedRate}
     */
    public SequentialRateJudge(final Settings settings, final RateCounts baseline) {
        this.settings = settings;
        boolean successes = settings.effect() != null && settings.effect().countsSuccesses();
        Double healthy = null;
        String why = null;
        if (settings.allowedRate() != null) {
            healthy = successes ? 1 - settings.allowedRate() : settings.allowedRate();
        }
        else if (baseline.trials() == 0) {
            why = "no baseline traffic (0 trials before the deploy) and no analysis.allowedRate: give the healthy "
                    + "rate as analysis.allowedRate, or sample a baseline with traffic";
        }
        else {
            healthy = wilsonUpper(successes ? baseline.complement() : baseline.events(), baseline.trials());
        }
        q0 = healthy == null ? Double.NaN : healthy;
        q1 = healthy == null ? Double.NaN : Effect.alternativeBadRate(settings.effect(), q0);
        if (why == null && !(q1 > q0)) {
            why = ("the healthy bad rate %s is already at the effect's %s: nothing left to detect; give a larger "
                    + "analysis.effect or analysis.allowedRate").formatted(pct(q0), pct(q1));
        }
        unavailable = why;
        tripBound = Math.log(1 / settings.alpha());
        passBound = Math.log(settings.beta() / (1 - settings.alpha()));
        minimumSample = why == null ? (long) Math.ceil(passBound / Math.log((1 - q1) / (1 - q0))) : Long.MAX_VALUE;
    }

    /**
     * The one-sided upper confidence bound of a binomial rate (Wilson score interval), above 0 for 0 events.
     *
     * @param x
     *         events
     * @param n
     *         trials, at least 1
     * @return the upper bound at {@link #BASELINE_CONFIDENCE}
     */
    public static double wilsonUpper(final long x, final long n) {
        double p = (double) x / n;
        double z2 = Z * Z;
        double centre = p + z2 / (2.0 * n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.min(1, (centre + half) / (1 + z2 / n));
    }

    /**
     * Adds one sample's counts (as counted: successes for a drop) and judges.
     *
     * @param counts
     *         the sample's counts
     * @return trip or keep watching (a pass comes only at the {@link #end}); once tripped, the trip
     */
    public Judgement add(final RateCounts counts) {
        if (decided != null) {
            return decided;
        }
        boolean successes = settings.effect() != null && settings.effect().countsSuccesses();
        events += successes ? counts.complement() : counts.events();
        trials += counts.trials();
        Judgement now = judge(false);
        if (now.decision().isFinal()) {
            decided = now;
        }
        return now;
    }

    /** @return the judgement so far, without a new sample */
    public Judgement current() {
        return decided != null ? decided : judge(false);
    }

    /**
     * Judges at the end of the watch: the trip if reached, else a pass when the ratio is at or below the pass bound,
     * else inconclusive. Never {@link Decision#CONTINUE}.
     *
     * @return the final judgement
     */
    public Judgement end() {
        return decided != null ? decided : judge(true);
    }

    /** @return the log-likelihood ratio of the counts so far */
    public double logLikelihoodRatio() {
        return events * Math.log(q1 / q0) + (trials - events) * Math.log((1 - q1) / (1 - q0));
    }

    /** @return the trials below which the judge cannot pass (all of them good), {@code Long.MAX_VALUE} if none */
    public long minimumSample() {
        return minimumSample;
    }

    /** @return the healthy bad rate q0, NaN when there is none */
    public double healthyRate() {
        return q0;
    }

    /** @return the bad rate q1 to detect, NaN when there is none */
    public double badRate() {
        return q1;
    }

    private Judgement judge(final boolean end) {
        if (unavailable != null) {
            return judgement(end ? Decision.INCONCLUSIVE : Decision.CONTINUE, "sequential test: " + unavailable, null);
        }
        double llr = logLikelihoodRatio();
        String counted = "%d %s in %d %s (%s) against %s healthy and %s bad; log-likelihood ratio %s".formatted(events,
                noun(), trials, trialsNoun(), trials == 0 ? "none" : pct((double) events / trials), pct(q0), pct(q1),
                number(llr));
        if (llr >= tripBound) {
            return judgement(Decision.TRIP, "sequential test: %s reached the trip bound %s".formatted(counted,
                    number(tripBound)), llr);
        }
        if (!end) {
            return judgement(Decision.CONTINUE, "sequential test: %s, below the trip bound %s".formatted(counted,
                    number(tripBound)), llr);
        }
        if (trials < minimumSample) {
            return judgement(Decision.INCONCLUSIVE, "sequential test: %s; only %d of the %d %s needed to pass"
                    .formatted(counted, trials, minimumSample, trialsNoun()), llr);
        }
        if (llr <= passBound) {
            return judgement(Decision.PASS, "sequential test: %s, at the end of the watch below the pass bound %s"
                    .formatted(counted, number(passBound)), llr);
        }
        // between the bounds: a pass here would let a deploy at the effect's rate pass far more often than beta
        return judgement(Decision.INCONCLUSIVE, ("sequential test: %s, between the pass bound %s and the trip bound "
                + "%s at the end of the watch: too little evidence either way").formatted(counted, number(passBound),
                number(tripBound)), llr);
    }

    private Judgement judgement(final Decision decision, final String rule, final Double llr) {
        return new Judgement(decision, METHOD, rule, trials, events, minimumSample, settings.alpha(), settings.beta(),
                Double.isNaN(q0) ? null : q0, Double.isNaN(q1) ? null : q1, llr, null);
    }

    private String noun() {
        return settings.effect() != null && settings.effect().countsSuccesses() ? "failures" : "bad events";
    }

    private static String trialsNoun() {
        return "trials";
    }

    static String pct(final double fraction) {
        return Numbers.percent(fraction);
    }

    static String number(final double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
