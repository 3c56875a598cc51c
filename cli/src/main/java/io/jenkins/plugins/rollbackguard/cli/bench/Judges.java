package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.judge.AlphaBudget;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Effect;
import io.jenkins.plugins.rollbackguard.engine.health.judge.MannWhitneyJudge;
import io.jenkins.plugins.rollbackguard.engine.health.judge.SequentialRateJudge;

/** The policies compared with the best Argo-style setting: (b) the seed thresholds, (c) the statistical judges. */
final class Judges {
    /** The name of the statistical judges' policy in the tables. */
    static final String STATISTICAL = "(c) statistical judges";
    /** The same judges with the rate probes read every second, so that the interval does not bound the delay. */
    static final String EVERY_SECOND = "(c') the same, rates every 1s";
    private static final int PROBES = 3;

    private Judges() {
        // constants and factories only
    }

    /** @return the policies (b) and (c), the probes of each in the order payments, errors, latency */
    static List<Policy> compared() {
        return List.of(Policy.seed(), statistical(STATISTICAL, 30, 15), statistical(EVERY_SECOND, 1, 1));
    }

    /**
     * The seed policy's probes judged by the statistical judges with their defaults: the effect is the seed's
     * threshold ({@code drop > 20%}, {@code > 5%}, {@code rise > 50%}), the deploy's alpha (0.01) split over the three
     * probes, beta and the minimum samples at their defaults; intervals and watch lengths as in the seed policy.
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
        double alpha = AlphaBudget.perProbe(AlphaBudget.DEFAULT_ALPHA, PROBES);
        int latencySamples = 30;
        MannWhitneyJudge.Settings latency = new MannWhitneyJudge.Settings(Effect.parse("rise > 50%"), alpha,
                MannWhitneyJudge.DEFAULT_MIN_SAMPLES, MannWhitneyJudge.DEFAULT_MIN_BASELINE,
                latencySamples - MannWhitneyJudge.DEFAULT_MIN_SAMPLES + 1);
        return new Policy(name, List.of(
                new SequentialProbe(Policy.PAYMENTS, rate("drop > 20%", alpha), paymentInterval,
                        600 / paymentInterval + 1, new SequentialProbe.Counters() {
                    @Override
                    public long events(final Trace trace, final int t) {
                        return trace.paymentsOk(t);
                    }

                    @Override
                    public long trials(final Trace trace, final int t) {
                        return trace.payments(t);
                    }
                }),
                new SequentialProbe(Policy.ERRORS, rate("> 5%", alpha), errorInterval, 300 / errorInterval + 1, new SequentialProbe.Counters() {
                    @Override
                    public long events(final Trace trace, final int t) {
                        return trace.errors(t);
                    }

                    @Override
                    public long trials(final Trace trace, final int t) {
                        return trace.requests(t);
                    }
                }),
                new MannWhitneyProbe(Policy.LATENCY, latency, 10, latencySamples)));
    }

    private static SequentialRateJudge.Settings rate(final String effect, final double alpha) {
        return new SequentialRateJudge.Settings(Effect.parse(effect), alpha, AlphaBudget.DEFAULT_BETA, null);
    }
}
