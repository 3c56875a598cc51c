package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;

/** The policies compared with the best Argo-style setting: (b) the seed thresholds, (c) the statistical judges. */
final class Judges {
    /** The name of the statistical judges' policy in the tables. */
    static final String STATISTICAL = "(c) statistical judges";
    /** The same judges with the rate probes read every 2 s. */
    static final String EVERY_2S = "(c') the same, rates every 2s";
    /** The same judges with the rate probes read every second, so that the interval bounds the delay least. */
    static final String EVERY_1S = "(c'') the same, rates every 1s";
    /** The same judges with three times the alpha: the false trips bought for speed. */
    static final String ALPHA_3 = "(c3) the same, alpha 0.03";
    /** The example before the history baseline: the counters' baseline sampled for 5 minutes, read every 10 s. */
    static final String SAMPLED = "(c0) before: sampled 5 min, every 10s";
    /** The history window of the rate probes' baseline, as in the example. */
    static final String HISTORY = "1h";
    /** Seconds between the counters' readings, as in the example. */
    static final int RATE_INTERVAL = 5;
    /** Seconds watched and seconds of baseline, as in the example. */
    private static final int WATCH = 600;
    private static final int BASELINE = 300;

    private Judges() {
        // constants and factories only
    }

    /** @return the policies (b) and (c), the probes of each in the order payments, errors, latency */
    static List<Policy> compared() {
        return List.of(Policy.seed(), statistical(STATISTICAL, RATE_INTERVAL, HISTORY, null),
                statistical(EVERY_2S, 2, HISTORY, null), statistical(EVERY_1S, 1, HISTORY, null),
                statistical(ALPHA_3, RATE_INTERVAL, HISTORY, 0.03), statistical(SAMPLED, 10, null, null));
    }

    /**
     * The example "the seed policy with judges" of docs/health.md, every other setting at its default (alpha 0.01
     * for the deploy, split over the three probes; beta 0.1; the U test's minimum samples): {@code judge: sequential}
     * with {@code counters: true} for errors ({@code effect: rise > 200%}) and payments ({@code drop > 20%}),
     * {@code judge: mann-whitney} for page-load ({@code rise > 25%}, every 10 s for 10 min, 30 baseline samples); the
     * counters read every 5 s for 10 min, their baseline the last hour of history ({@code baselineWindow: 1h}).
     *
     * @param name
     *         the policy's name
     * @param rateInterval
     *         seconds between the counters' readings (5 in the example)
     * @param window
     *         the counters' history window ({@code 1h} in the example), or null for 5 minutes of sampled baseline
     * @param alpha
     *         the deploy's alpha, null for the default
     * @return the policy
     */
    static Policy statistical(final String name, final int rateInterval, final String window, final Double alpha) {
        return new Policy(name, List.of(
                rate(Policy.PAYMENTS, "drop > 20%", rateInterval, window, alpha, (trace, t, at) -> Measurement.counted(at,
                        trace.paymentsOk(t), trace.payments(t), "")),
                rate(Policy.ERRORS, "rise > 200%", rateInterval, window, alpha, (trace, t, at) -> Measurement.counted(at,
                        trace.errors(t), trace.requests(t), "")),
                new EngineProbe(Policy.LATENCY, null, AnalysisSettings.builder().judge("mann-whitney")
                        .effect("rise > 25%").alpha(alpha).interval("10s").duration("10m").baselineSamples(30).build(),
                        false, EngineProbe.value(Trace::latency))));
    }

    private static ReplayedProbe rate(final String name, final String effect, final int interval, final String window,
            final Double alpha, final EngineProbe.Sampler counters) {
        AnalysisSettings settings = AnalysisSettings.builder().judge("sequential").effect(effect).events("events")
                .trials("trials").counters(true).interval(interval + "s").duration(WATCH / 60 + "m")
                .baselineSamples(BASELINE / interval).baselineWindow(window).alpha(alpha).build();
        return new EngineProbe(name, null, settings, true, counters);
    }
}
