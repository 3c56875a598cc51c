package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;

/** The policies compared with the best Argo-style setting: (b) the seed thresholds, (c) the statistical judges. */
final class Judges {
    /** The name of the statistical judges' policy in the tables. */
    static final String STATISTICAL = "(c) statistical judges";
    /** The variants, each the example with one setting changed. */
    static final String EVERY_5S = "(c5) counters every 5s";
    static final String EVERY_1S = "(c1) counters every 1s";
    static final String EVERY_15S = "(c15) counters every 15s";
    static final String TRIPLE = "(c200) errors rise > 200%";
    static final String DEPLOY_1PCT = "(c/3) alpha 0.0033 each";
    static final String DEFAULT_ALPHA = "(c.01) alpha 0.01 each (default)";
    /** The example before the history baseline: the counters' baseline sampled for 5 minutes, read every 10 s. */
    static final String SAMPLED = "(c0) before: sampled 5 min, every 10s";
    /** The history window of the rate probes' baseline, as in the example. */
    static final String HISTORY = "1h";
    /** Milliseconds between the counters' readings, as in the example. */
    static final long RATE_INTERVAL = Long.getLong("bench.interval", 250);
    /** The errors probe's effect, as in the example. */
    static final String ERRORS_EFFECT = System.getProperty("bench.effect", "rise > 300%");
    /**
     * The example's alphas, which share a deploy's 1% by the union bound, the most where the evidence is most
     * plentiful: errors (every request) 0.007, payments (a tenth of them) 0.002, page-load (one request a sample)
     * 0.001.
     */
    static final Alphas SEED_ALPHAS = new Alphas(0.002, 0.007, 0.001);
    /** Seconds watched and seconds of baseline, as in the example. */
    private static final int WATCH = 600;
    private static final int BASELINE = 300;

    private Judges() {
        // constants and factories only
    }

    /**
     * Each probe's alpha, null for the default.
     *
     * @param payments
     *         the payment probe's
     * @param errors
     *         the errors probe's
     * @param latency
     *         the page-load probe's
     */
    record Alphas(Double payments, Double errors, Double latency) {
        static Alphas each(final Double alpha) {
            return new Alphas(alpha, alpha, alpha);
        }
    }

    /** @return the policies (b) and (c), the probes of each in the order payments, errors, latency */
    static List<Policy> compared() {
        return List.of(Policy.seed(), statistical(STATISTICAL, ERRORS_EFFECT, RATE_INTERVAL, HISTORY, SEED_ALPHAS),
                statistical(EVERY_5S, ERRORS_EFFECT, 5000, HISTORY, SEED_ALPHAS),
                statistical(EVERY_1S, ERRORS_EFFECT, 1000, HISTORY, SEED_ALPHAS),
                statistical(EVERY_15S, ERRORS_EFFECT, 15_000, HISTORY, SEED_ALPHAS),
                statistical(TRIPLE, "rise > 200%", RATE_INTERVAL, HISTORY, SEED_ALPHAS),
                statistical(DEFAULT_ALPHA, ERRORS_EFFECT, RATE_INTERVAL, HISTORY, Alphas.each(null)),
                statistical(DEPLOY_1PCT, ERRORS_EFFECT, RATE_INTERVAL, HISTORY, Alphas.each(0.01 / 3)),
                statistical(SAMPLED, ERRORS_EFFECT, 10_000, null, SEED_ALPHAS));
    }

    /**
     * The example "the seed policy with judges" of docs/health.md, every other setting at its default (beta 0.1;
     * the U test's minimum samples): {@code judge: sequential} with
     * {@code counters: true} for errors and payments ({@code drop > 20%}), {@code judge: mann-whitney} for page-load
     * ({@code rise > 25%}, every 10 s for 10 min, 30 baseline samples); the counters read for 10 min, their baseline
     * the last hour of history ({@code baselineWindow: 1h}).
     *
     * @param name
     *         the policy's name
     * @param errorsEffect
     *         the errors probe's effect
     * @param rateInterval
     *         milliseconds between the counters' readings
     * @param window
     *         the counters' history window ({@code 1h} in the example), or null for 5 minutes of sampled baseline
     * @param alphas
     *         each judged probe's alpha
     * @return the policy
     */
    static Policy statistical(final String name, final String errorsEffect, final long rateInterval,
            final String window, final Alphas alphas) {
        return new Policy(name, List.of(
                rate(Policy.PAYMENTS, "drop > 20%", rateInterval, window, alphas.payments(), (trace, t, at) -> Measurement.counted(at,
                        trace.paymentsOkAt(t), trace.paymentsAt(t), "")),
                rate(Policy.ERRORS, errorsEffect, rateInterval, window, alphas.errors(), (trace, t, at) -> Measurement.counted(at,
                        trace.errorsAt(t), trace.requestsAt(t), "")),
                new EngineProbe(Policy.LATENCY, null, AnalysisSettings.builder().judge("mann-whitney")
                        .effect("rise > 25%").alpha(alphas.latency()).interval("10s").duration("10m").baselineSamples(30).build(),
                        false, EngineProbe.value(Trace::latency))));
    }

    private static ReplayedProbe rate(final String name, final String effect, final long interval, final String window,
            final Double alpha, final EngineProbe.Sampler counters) {
        String every = interval % 1000 == 0 ? interval / 1000 + "s" : interval + "ms";
        AnalysisSettings settings = AnalysisSettings.builder().judge("sequential").effect(effect).events("events")
                .trials("trials").counters(true).interval(every).duration(WATCH / 60 + "m")
                .baselineSamples((int) (BASELINE * 1000L / interval)).baselineWindow(window).alpha(alpha).build();
        return new EngineProbe(name, null, settings, true, counters);
    }
}
