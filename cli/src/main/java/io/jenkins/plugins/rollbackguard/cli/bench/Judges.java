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
    private static final int BASELINE = ShopTraffic.BASELINE_SECONDS;

    private Judges() {
        // constants and factories only
    }

    /** @return the policies (b) and (c), the probes of each in the order payments, errors, latency */
    static List<Policy> compared() {
        return List.of(Policy.seed(), statistical(STATISTICAL, 30, 15), statistical(EVERY_SECOND, 1, 1));
    }

    /**
     * The seed policy's probes judged by the statistical judges, their settings at their defaults (alpha 0.01 for the
     * deploy, split over the three probes; beta 0.1; the U test's minimum samples) but for the effect, which is the
     * seed's threshold ({@code drop > 20%}, {@code > 5%}, {@code rise > 50%}), and the baseline, which covers the
     * {@value ShopTraffic#BASELINE_SECONDS} s before the deploy. The rates are read as cumulative counters
     * ({@code counters: true}); intervals and watch lengths as in the seed policy.
     *
     * @param name
     *         the policy's name
     * @param paymentInterval
     *         seconds between the payment counters' readings (30 in the seed policy)
     * @param errorInterval
     *         seconds between the request counters' readings (15 in the seed policy)
     * @return the policy
     */
    static Policy statistical(final String name, final int paymentInterval, final int errorInterval) {
        return new Policy(name, List.of(
                rate(Policy.PAYMENTS, "drop > 20%", paymentInterval, 600, (trace, t, at) -> Measurement.counted(at,
                        trace.paymentsOk(t), trace.payments(t), "")),
                rate(Policy.ERRORS, "> 5%", errorInterval, 300, (trace, t, at) -> Measurement.counted(at,
                        trace.errors(t), trace.requests(t), "")),
                new EngineProbe(Policy.LATENCY, null, AnalysisSettings.builder().judge("mann-whitney")
                        .effect("rise > 50%").interval("10s").count(30).baselineSamples(BASELINE / 10).build(), PROBES,
                        false, EngineProbe.value(Trace::latency))));
    }

    private static ReplayedProbe rate(final String name, final String effect, final int interval, final int watch,
            final EngineProbe.Sampler counters) {
        AnalysisSettings settings = AnalysisSettings.builder().judge("sequential").effect(effect).events("events")
                .trials("trials").counters(true).interval(interval + "s").count(watch / interval + 1)
                .baselineSamples(BASELINE / interval + 1).build();
        return new EngineProbe(name, null, settings, PROBES, true, counters);
    }
}
