package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.ArrayList;
import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.judge.Decision;
import io.jenkins.plugins.rollbackguard.engine.health.judge.MannWhitneyJudge;

/**
 * A latency probe replayed through the engine's {@link MannWhitneyJudge}: the latency of the probe's own request
 * every interval; the baseline the same probe's samples over the window before the deploy
 * ({@value ShopTraffic#BASELINE_SECONDS} s).
 *
 * @param name
 *         the probe's name
 * @param settings
 *         the judge's settings
 * @param interval
 *         seconds between samples
 * @param samples
 *         samples in the watch
 */
record MannWhitneyProbe(String name, MannWhitneyJudge.Settings settings, int interval, int samples)
        implements ProbeJudge {
    @Override
    public Run run(final Trace trace, final boolean noData) {
        List<Double> baseline = new ArrayList<>();
        for (int t = trace.first(); t < 0 && !noData; t += interval) {
            baseline.add(trace.latency(t));
        }
        MannWhitneyJudge judge = new MannWhitneyJudge(settings, baseline);
        for (int k = 0; k < samples; k++) {
            int t = k * interval;
            if (judge.add(noData ? Double.NaN : trace.latency(t)).decision() == Decision.TRIP) {
                return new Run(name, SequentialProbe.status(judge.end()), t);
            }
        }
        return new Run(name, SequentialProbe.status(judge.end()), (samples - 1) * interval);
    }
}
