package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;

/** The policies compared with the best Argo-style setting: (b) the seed thresholds, (c) the statistical judges. */
final class Judges {
    /** The name of the statistical judges' policy in the tables. */
    static final String STATISTICAL = "(c) statistical judges";
    /** The same judges with the rate probes read every second, so that the interval does not bound the delay. */
    static final String EVERY_SECOND = "(c') the same, rates every 1s";
    private static final int PROBES = 3;
    /** Seconds watched and seconds of baseline, as in the example. */
    private static final int WATCH = 600;
    private static final int BASELINE = 300;

    private Judges() {
        // constants and factories only
    }

    /** @return the policies (b) and (c), the probes of each in the order payments, errors, latency */
    static List<Policy> compared() {
        return List.of(Policy.seed(), statistical(STATISTICAL, 10), statistical(EVERY_SECOND, 1));
    }

    /**
     * The example "the seed policy with judges" of docs/health.md, every other setting at its default (alpha 0.01
     * for the deploy, split over the three probes; beta 0.1; the U test's minimum samples): {@code judge: sequential}
     * with {@code counters: true} for errors ({@code effect: rise > 200%}) and payments ({@code drop > 20%}),
     * {@code judge: mann-whitney} for page-load ({@code rise > 25%}), every 10 s for 10 min, with 30 baseline
     * samples (the 5 minutes before the deploy).
     *
     * @param name
     *         the policy's name
     * @param rateInterval
     *         seconds between the counters' readings (10 in the example); the baseline still covers 5 minutes
     * @return the policy
     */
    static Policy statistical(final String name, final int rateInterval) {
        return new Policy(name, List.of(
                rate(Policy.PAYMENTS, "drop > 20%", rateInterval, (trace, t, at) -> Measurement.counted(at,
                        trace.paymentsOk(t), trace.payments(t), "")),
                rate(Policy.ERRORS, "rise > 200%", rateInterval, (trace, t, at) -> Measurement.counted(at,
                        trace.errors(t), trace.requests(t), "")),
                new EngineProbe(Policy.LATENCY, null, AnalysisSettings.builder().judge("mann-whitney")
                        .effect("rise > 25%").interval("10s").duration("10m").baselineSamples(30).build(), PROBES,
                        false, EngineProbe.value(Trace::latency))));
    }

    private static ReplayedProbe rate(final String name, final String effect, final int interval,
            final EngineProbe.Sampler counters) {
        AnalysisSettings settings = AnalysisSettings.builder().judge("sequential").effect(effect).events("events")
                .trials("trials").counters(true).interval(interval + "s").duration(WATCH / 60 + "m")
                .baselineSamples(BASELINE / interval).build();
        return new EngineProbe(name, null, settings, PROBES, true, counters);
    }
}
