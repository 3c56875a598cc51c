package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.Optional;

import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;
import io.jenkins.plugins.rollbackguard.engine.health.judge.CounterDeltas;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Decision;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Judgement;
import io.jenkins.plugins.rollbackguard.engine.health.judge.RateCounts;
import io.jenkins.plugins.rollbackguard.engine.health.judge.SequentialRateJudge;

/**
 * A rate probe replayed through the engine's {@link SequentialRateJudge}: two counters read every interval from the
 * deploy on (the first reading only starts the count), their deltas by the engine's {@link CounterDeltas}; the
 * baseline the counts of the whole window before the deploy ({@value ShopTraffic#BASELINE_SECONDS} s).
 *
 * @param name
 *         the probe's name
 * @param settings
 *         the judge's settings
 * @param interval
 *         seconds between readings
 * @param readings
 *         readings in the watch, the first one included
 * @param counters
 *         the two counters (events, trials) at a time
 */
record SequentialProbe(String name, SequentialRateJudge.Settings settings, int interval, int readings,
                       Counters counters) implements ProbeJudge {
    /** The two counters a rate probe reads. */
    interface Counters {
        /**
         * Reads the counted events.
         *
         * @param trace
         *         the deploy
         * @param t
         *         seconds from the deploy
         * @return the counter
         */
        long events(Trace trace, int t);

        /**
         * Reads the trials.
         *
         * @param trace
         *         the deploy
         * @param t
         *         seconds from the deploy
         * @return the counter
         */
        long trials(Trace trace, int t);
    }

    @Override
    public Run run(final Trace trace, final boolean noData) {
        int from = trace.first();
        RateCounts baseline = noData ? RateCounts.NONE : new RateCounts(counters.events(trace, 0)
                - counters.events(trace, from), counters.trials(trace, 0) - counters.trials(trace, from));
        SequentialRateJudge judge = new SequentialRateJudge(settings, baseline);
        CounterDeltas deltas = new CounterDeltas();
        for (int k = 0; k < readings; k++) {
            int t = k * interval;
            if (noData) {
                continue; // an empty answer: no reading, nothing to add
            }
            Optional<CounterDeltas.Delta> delta = deltas.next(counters.events(trace, t), counters.trials(trace, t));
            if (delta.isPresent() && judge.add(delta.get().counts()).decision().isFinal()) {
                return new Run(name, status(judge.current()), t);
            }
        }
        return new Run(name, status(judge.end()), (readings - 1) * interval);
    }

    static VerdictStatus status(final Judgement judgement) {
        Decision decision = judgement.decision();
        return decision == Decision.TRIP ? VerdictStatus.FAILED
                : decision == Decision.PASS ? VerdictStatus.PASSED : VerdictStatus.INCONCLUSIVE;
    }
}
