package io.jenkins.plugins.rollbackguard.cli.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Metric;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;

/**
 * A probe replayed through the engine's own {@link Analysis} (its thresholds, or its statistical judge when the
 * settings name one): the baseline's samples one interval apart before the deploy (or, with
 * {@code analysis.baselineWindow}, the counters at the window's start and at the deploy, as Prometheus' history gives
 * them), then one
 * {@link Analysis#record} per interval from the deploy on, at simulated instants.
 *
 * @param name
 *         the probe's name
 * @param failIf
 *         its threshold, null for a statistical judge
 * @param settings
 *         its analysis settings
 * @param baselineToDeploy
 *         whether the last baseline sample is taken at the deploy (the baseline then covers the whole window before
 *         it), else one interval before it, as {@code Baseline.sample} does before a deploy command
 * @param sampler
 *         what one sample reads from the trace
 */
record EngineProbe(String name, String failIf, AnalysisSettings settings, boolean baselineToDeploy,
                   Sampler sampler) implements ReplayedProbe {
    /** What one sample of a probe reads from a trace. */
    interface Sampler {
        /**
         * Reads one sample.
         *
         * @param trace
         *         the deploy
         * @param millis
         *         milliseconds from the deploy
         * @param at
         *         the sample's instant
         * @return the measurement
         */
        Measurement at(Trace trace, long millis, Instant at);
    }

    /**
     * A sampler of a value.
     *
     * @param value
     *         the value at a time, NaN for an empty answer (NO_DATA)
     * @return the sampler
     */
    static Sampler value(final java.util.function.ToDoubleBiFunction<Trace, Integer> value) {
        return (trace, millis, at) -> {
            double v = value.applyAsDouble(trace, (int) Math.floorDiv(millis, 1000));
            return Double.isNaN(v) ? Measurement.withoutValue(at, Outcome.NO_DATA, "empty result")
                    : Measurement.of(at, v, Outcome.SUCCESS, "");
        };
    }

    @Override
    public Run run(final Trace trace, final boolean noData) {
        long interval = settings.intervalDuration().toMillis();
        Instant deploy = Instant.EPOCH.plusSeconds(trace.startOfDay());
        List<Measurement> before = new ArrayList<>();
        if (settings.baselineWindowDuration().isPresent()) { // the counters' history: the window's start, the deploy
            before.add(sample(trace, -settings.baselineWindowDuration().get().toMillis(), deploy, noData));
            before.add(sample(trace, 0, deploy, noData));
        }
        else {
            long last = baselineToDeploy ? 0 : -interval;
            for (int i = settings.baselineSamples() - 1; i >= 0; i--) {
                before.add(sample(trace, last - i * interval, deploy, noData));
            }
        }
        Thresholds thresholds = Thresholds.parse(name, failIf, null);
        Analysis analysis = new Analysis(name, settings, thresholds, Baseline.median(before), new Metric("", ""));
        long start = settings.initialDelayDuration().toMillis();
        for (int k = 0; k < settings.plannedSamples(); k++) {
            long t = start + k * interval;
            if (analysis.record(sample(trace, t, deploy, noData)).isFinal()) {
                return new Run(name, analysis.verdict().orElseThrow().status(), t);
            }
        }
        return new Run(name, analysis.stop("the watch ended").status(), start + settings.plannedSamples() * interval);
    }

    private Measurement sample(final Trace trace, final long t, final Instant deploy, final boolean noData) {
        Instant at = deploy.plusMillis(t);
        return noData ? Measurement.withoutValue(at, Outcome.NO_DATA, "empty result") : sampler.at(trace, t, at);
    }
}
