package io.jenkins.plugins.rollbackguard.cli.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;

/**
 * A threshold probe replayed through the engine's own {@link Analysis}: its baseline sampled before the deploy as
 * {@code Baseline.sample} does ({@code baselineSamples} samples one interval apart, the last one interval before the
 * deploy), then one {@link Analysis#record} per interval from the deploy on, at simulated instants.
 *
 * @param name
 *         the probe's name
 * @param failIf
 *         its threshold
 * @param settings
 *         its analysis settings
 * @param value
 *         what one sample reads from the trace; NaN is an empty answer (NO_DATA)
 */
record ThresholdProbe(String name, String failIf, AnalysisSettings settings, Value value) implements ProbeJudge {
    /** What one sample of a probe reads from a trace. */
    interface Value {
        /**
         * Reads one sample.
         *
         * @param trace
         *         the deploy
         * @param t
         *         seconds from the deploy
         * @return the value, NaN for no data
         */
        double at(Trace trace, int t);
    }

    @Override
    public Run run(final Trace trace, final boolean noData) {
        int interval = (int) settings.intervalDuration().toSeconds();
        Instant deploy = Instant.EPOCH.plusSeconds(trace.startOfDay());
        List<Measurement> before = new ArrayList<>();
        for (int i = settings.baselineSamples(); i >= 1; i--) {
            before.add(sample(trace, -i * interval, deploy, noData));
        }
        Analysis analysis = new Analysis(name, settings, Thresholds.parse(name, failIf, null), Baseline.median(before));
        int start = (int) settings.initialDelayDuration().toSeconds();
        for (int k = 0; k < settings.plannedSamples(); k++) {
            int t = start + k * interval;
            if (analysis.record(sample(trace, t, deploy, noData)).isFinal()) {
                return new Run(name, analysis.verdict().orElseThrow().status(), t);
            }
        }
        return new Run(name, analysis.stop("the watch ended").status(), start + settings.plannedSamples() * interval);
    }

    private Measurement sample(final Trace trace, final int t, final Instant deploy, final boolean noData) {
        double v = noData ? Double.NaN : value.at(trace, t);
        Instant at = deploy.plusSeconds(t);
        return Double.isNaN(v) ? Measurement.withoutValue(at, Outcome.NO_DATA, "empty result")
                : Measurement.of(at, v, Outcome.SUCCESS, "");
    }
}
