package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Drives several probes in real or virtual time. The {@link Scheduler} only times the samples (no thread
 * waits between them); each sample runs on the caller's bounded executor (or the probe's asynchronous
 * I/O). Measurements feed each probe's {@link Analysis}; progress lines go to the {@link GuardListener}.
 * The result completes FAILED as soon as one probe fails (the others are stopped); else INCONCLUSIVE if
 * one was inconclusive; else PASSED. Usage: {@code new Watch(scheduler, executor, listener).add(probe,
 * analysis).start()}. A watch restored from snapshots skips the initial delay and resumes counting.
 */
public final class Watch {
    private final Scheduler scheduler;
    private final Executor executor;
    private final GuardListener listener;
    private final List<Runner> runners = new ArrayList<>();
    private final CompletableFuture<WatchResult> result = new CompletableFuture<>();
    private SampleObserver observer = (probe, scheduled, measurement) -> { };

    /**
     * Creates a watch.
     *
     * @param scheduler
     *         the clock and timer
     * @param executor
     *         a small bounded pool on which samples run
     * @param listener
     *         receives masked progress lines
     */
    public Watch(final Scheduler scheduler, final Executor executor, final GuardListener listener) {
        this.scheduler = scheduler;
        this.executor = executor;
        this.listener = listener;
    }

    /**
     * Adds a probe with its analysis (new, or restored from a snapshot).
     *
     * @param probe
     *         the probe
     * @param analysis
     *         its analysis
     * @return this
     */
    public Watch add(final Probe probe, final Analysis analysis) {
        runners.add(new Runner(probe, analysis));
        return this;
    }

    /**
     * Sets an observer told of every sample with its scheduled time (for lag figures).
     *
     * @param sampleObserver
     *         the observer
     * @return this
     */
    public Watch observe(final SampleObserver sampleObserver) {
        this.observer = sampleObserver;
        return this;
    }

    /** @return the combined result, completed when every probe has a verdict or one failed */
    public CompletableFuture<WatchResult> start() {
        if (runners.isEmpty()) {
            result.complete(WatchResult.combine(List.of()));
        }
        runners.forEach(Runner::start);
        return result;
    }

    /**
     * Stops every probe that is still running; the result completes with their verdicts.
     *
     * @param reason
     *         why, for the explanations
     */
    public void stop(final String reason) {
        runners.forEach(r -> r.stop(reason));
        finishIfDone();
    }

    /** @return the persistable state of every analysis, by probe name */
    public Map<String, AnalysisSnapshot> snapshots() {
        Map<String, AnalysisSnapshot> all = new LinkedHashMap<>();
        runners.forEach(r -> all.put(r.probe.name(), r.analysis.snapshot()));
        return all;
    }

    private void onVerdict(final Verdict verdict) {
        listener.info(verdict.explanation());
        if (verdict.status() == VerdictStatus.FAILED) {
            runners.forEach(r -> r.stop("probe '" + verdict.probe() + "' failed"));
        }
        finishIfDone();
    }

    private synchronized void finishIfDone() {
        List<Verdict> verdicts = new ArrayList<>();
        for (Runner r : runners) {
            r.analysis.verdict().ifPresent(verdicts::add);
        }
        if (verdicts.size() == runners.size() && !result.isDone()) {
            result.complete(WatchResult.combine(verdicts));
        }
    }

    /** Told of each sample, e.g. to measure the lag between scheduled and actual sample time. */
    @FunctionalInterface
    public interface SampleObserver {
        /**
         * Receives a sample.
         *
         * @param probe
         *         the probe name
         * @param scheduled
         *         when the sample was due
         * @param measurement
         *         the raw measurement (its time is when it actually started)
         */
        void onSample(String probe, Instant scheduled, Measurement measurement);
    }

    /** Schedules one probe's samples, one at a time, at a fixed rate. */
    private final class Runner {
        private final Probe probe;
        private final Analysis analysis;
        private final Duration interval; // parsed once: needed after every sample
        private Instant due;
        private Scheduler.Cancellable pending; // the next scheduled sample, cancelled on stop

        Runner(final Probe probe, final Analysis analysis) {
            this.probe = probe;
            this.analysis = analysis;
            this.interval = analysis.settings().intervalDuration();
        }

        void start() {
            AnalysisSettings settings = analysis.settings();
            boolean resumed = analysis.state().samples() > 0;
            if (analysis.verdict().isPresent()) {
                finishIfDone();
                return;
            }
            Duration delay = resumed ? interval : settings.initialDelayDuration();
            due = scheduler.now().plus(delay);
            schedule(delay);
        }

        private synchronized void schedule(final Duration delay) {
            pending = scheduler.schedule(delay, () -> executor.execute(this::sample));
        }

        private void sample() {
            if (analysis.verdict().isPresent()) {
                return;
            }
            Instant scheduled = due;
            probe.sampleAsync(executor).whenComplete((m, e) -> {
                Measurement measurement = m != null ? m : Measurement.withoutValue(scheduler.now(), Outcome.ERROR,
                        "probe failed unexpectedly: " + e.getClass().getSimpleName());
                observer.onSample(probe.name(), scheduled, measurement);
                onMeasurement(analysis.record(measurement));
            });
        }

        private void onMeasurement(final AnalysisState state) {
            if (state.isFinal()) {
                onVerdict(state.finalVerdict());
                return;
            }
            Duration left = interval.multipliedBy(state.plannedSamples() - state.samples());
            String line = "%s: sample %d/%d %s; failures %d; about %ds left".formatted(probe.name(), state.samples(),
                    state.plannedSamples(), state.last().describe(), state.failures(), left.toSeconds());
            if (state.last().outcome() == Outcome.ERROR) {
                listener.error(line); // a provider error is the operator's problem, not the deploy's
            }
            else {
                listener.info(line);
            }
            due = due.plus(interval);
            Duration delay = Duration.between(scheduler.now(), due);
            schedule(delay.isNegative() ? Duration.ZERO : delay);
        }

        synchronized void stop(final String reason) {
            if (pending != null) {
                pending.cancel();
            }
            analysis.stop(reason);
        }
    }
}
