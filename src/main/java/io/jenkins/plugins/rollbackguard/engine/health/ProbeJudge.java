package io.jenkins.plugins.rollbackguard.engine.health;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.judge.AlphaBudget;
import io.jenkins.plugins.rollbackguard.engine.health.judge.CounterDeltas;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Judgement;
import io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind;
import io.jenkins.plugins.rollbackguard.engine.health.judge.MannWhitneyJudge;
import io.jenkins.plugins.rollbackguard.engine.health.judge.RateCounts;
import io.jenkins.plugins.rollbackguard.engine.health.judge.SequentialRateJudge;

/**
 * The statistical judge of one {@link Analysis}, fed with its counted samples: the sequential judge with each
 * sample's counts (the difference between counter readings when {@code analysis.counters}), the Mann-Whitney judge
 * with each sample's value. Guarded by its analysis' lock.
 */
final class ProbeJudge {
    /** The note on a reading whose counter went down, which the watch always says. */
    static final String RESET_NOTE = "counter reset (a counter went down): counting from its new value";
    private final JudgeKind kind;
    private final boolean counters;
    private final CounterDeltas deltas = new CounterDeltas();
    private final SequentialRateJudge rates;
    private final MannWhitneyJudge values;

    ProbeJudge(final AnalysisSettings settings, final Baseline baseline, final int planned) {
        kind = settings.judgeKind();
        counters = settings.counters();
        double alpha = AlphaBudget.probability("analysis.alpha", settings.alpha(), AlphaBudget.DEFAULT_ALPHA);
        if (kind == JudgeKind.SEQUENTIAL) {
            rates = new SequentialRateJudge(new SequentialRateJudge.Settings(settings.effectValue(), alpha,
                    AlphaBudget.probability("analysis.beta", settings.beta(), AlphaBudget.DEFAULT_BETA),
                    settings.allowedRate()), baselineCounts(baseline.sampled(), counters));
            values = null;
        }
        else {
            int min = settings.minSamples() > 1 ? settings.minSamples() : MannWhitneyJudge.DEFAULT_MIN_SAMPLES;
            values = new MannWhitneyJudge(new MannWhitneyJudge.Settings(settings.effectValue(), alpha, min,
                    MannWhitneyJudge.DEFAULT_MIN_BASELINE, planned - min + 1), baseline.values());
            rates = null;
        }
    }

    /** Sums the counts of the baseline's successful samples (their differences, for counters). */
    static RateCounts baselineCounts(final List<Measurement> sampled, final boolean counters) {
        CounterDeltas baselineDeltas = new CounterDeltas();
        RateCounts sum = RateCounts.NONE;
        for (Measurement m : sampled) {
            if (judgeable(m)) {
                RateCounts counts = counters ? baselineDeltas.next(m.events(), m.trials())
                        .map(CounterDeltas.Delta::counts).orElse(RateCounts.NONE) : own(m);
                sum = sum.plus(counts);
            }
        }
        return sum;
    }

    /**
     * Checks a successful sample of a rate probe before it is counted.
     *
     * @return the sample; an error or no data when its counts cannot be judged, with a note when a counter was reset
     */
    Measurement check(final Measurement m) {
        if (kind != JudgeKind.SEQUENTIAL || m.outcome() != Outcome.SUCCESS) {
            return m;
        }
        if (!m.hasCounts()) {
            return m.classify(Outcome.ERROR, "no counts: analysis.events and analysis.trials gave no numbers");
        }
        if (!Double.isFinite(m.events()) || !Double.isFinite(m.trials())) {
            return m.classify(Outcome.NO_DATA, "counts are not finite: %s of %s".formatted(m.events(), m.trials()));
        }
        if (m.events() < 0 || m.trials() < 0 || !counters && m.events() > m.trials()) {
            return m.classify(Outcome.ERROR, "counts %s of %s: need 0 <= events <= trials".formatted(
                    Measurement.format(m.events()), Measurement.format(m.trials())));
        }
        if (counters && deltas.isReset(m.events(), m.trials())) {
            String note = RESET_NOTE;
            return m.classify(m.outcome(), m.detail().isEmpty() ? note : m.detail() + "; " + note);
        }
        if (counters && deltas.isAhead(m.events(), m.trials())) { // noted, so that it is never folded (Analysis)
            String note = "the events rose more than the trials since the last reading: counted as many trials";
            return m.classify(m.outcome(), m.detail().isEmpty() ? note : m.detail() + "; " + note);
        }
        return m;
    }

    /**
     * Feeds a counted sample.
     *
     * @param m
     *         the sample, as classified
     * @return the judgement after it
     */
    Judgement add(final Measurement m) {
        if (kind == JudgeKind.SEQUENTIAL) {
            if (!judgeable(m)) {
                return rates.current();
            }
            RateCounts counts = counters ? deltas.next(m.events(), m.trials()).map(CounterDeltas.Delta::counts)
                    .orElse(RateCounts.NONE) : own(m);
            return rates.add(counts);
        }
        if (m.outcome() == Outcome.SUCCESS && m.optionalValue().isPresent()) {
            return values.add(m.value());
        }
        return values.add(Double.NaN); // no value: nothing is added, the judgement so far is told
    }

    /** @return the judgement at the end of the watch */
    Judgement end() {
        return kind == JudgeKind.SEQUENTIAL ? rates.end() : values.end();
    }

    static boolean judgeable(final Measurement m) {
        return m.outcome() == Outcome.SUCCESS && m.hasCounts() && Double.isFinite(m.events())
                && Double.isFinite(m.trials()) && m.events() >= 0 && m.trials() >= 0;
    }

    private static RateCounts own(final Measurement m) {
        long trials = Math.round(m.trials());
        return new RateCounts(Math.min(Math.round(m.events()), trials), trials);
    }
}
