package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Drives several probes in real or virtual time. The {@link Scheduler} only times the samples (no thread
 * waits between them); each sample runs on the caller's bounded executor (or the probe's asynchronous
 * I/O). Measurements feed each probe's {@link Analysis}; progress lines go to the {@link GuardListener}.
 * The result completes FAILED as soon as one probe fails (the others are stopped); else INCONCLUSIVE if
 * one was inconclusive; else PASSED. Usage: {@code new Watch(scheduler, executor, listener).add(probe,
 * analysis).start()}. A watch restored from snapshots skips the initial delay and resumes counting.
 *
 * <p>Samples due within the same {@link #SLOT} share one timer task and one task on the executor: a sample
 * starts up to 10 ms late, and a watch of a thousand probes wakes a thread a hundred times a second
 * instead of a thousand (on a 2-core machine the wake-ups, not the probing, were most of the CPU).
 */
public final class Watch {
    /** The granularity of sample times: due times are rounded up to a multiple of it. */
    static final Duration SLOT = Duration.ofMillis(10);
    /**
     * How often a probe says where it stands while its samples succeed: a probe read every 250 ms would otherwise
     * print 2,400 lines in a 10-minute watch. A sample that is not a success, or whose counter was reset, is always
     * said.
     */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final Scheduler scheduler;
    private final Executor executor;
    private final GuardListener listener;
    private final List<Runner> runners = new ArrayList<>();
    private final CompletableFuture<WatchResult> result = new CompletableFuture<>();
    private final Map<Instant, Slot> slots = new HashMap<>(); // guarded by itself
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

    /** @return each probe's last response (masked, capped), by probe name, for the evidence of a trip */
    public Map<String, String> lastResponses() {
        Map<String, String> all = new LinkedHashMap<>();
        runners.forEach(r -> r.probe.lastResponse().ifPresent(text -> all.put(r.probe.name(), text)));
        return all;
    }

    private void onVerdict(final Verdict verdict) {
        // a probe that did not pass is said once, with why, by whoever acts on the watch's result (the guard's
        // verdict line): here only that it ended
        listener.info(verdict.status() != VerdictStatus.PASSED && !verdict.dryRun()
                ? "%s: %s after %d samples".formatted(verdict.probe(), verdict.status(), verdict.samples())
                : verdict.explained() != null ? verdict.explained().text() : verdict.explanation());
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
        private Instant said; // when the last progress line was printed, null before the first
        private Slot pending; // the slot of the next sample, left on stop

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

        private void schedule(final Duration delay) {
            boolean refused = false;
            synchronized (this) {
                try {
                    pending = join(this, scheduler.now().plus(delay));
                }
                catch (RejectedExecutionException e) {
                    pending = null;
                    analysis.stop(refusal(e));
                    refused = true;
                }
            }
            if (refused) {
                finishIfDone(); // outside this runner's lock: completing the result runs its dependents
            }
        }

        private void sample() {
            if (analysis.verdict().isPresent()) {
                return;
            }
            Instant scheduled = due;
            CompletableFuture<Measurement> sample;
            try {
                sample = probe.sampleAsync(executor);
            }
            catch (RuntimeException e) { // a broken probe must not starve the others of its slot
                sample = CompletableFuture.failedFuture(e);
            }
            sample.whenComplete((m, e) -> {
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
            String line = probe.name() + ": sample " + state.samples() + "/" + state.plannedSamples() + " "
                    + state.last().describe(analysis.metric()) + "; failures " + state.failures() + "; about " + left.toSeconds()
                    + "s left";
            Instant now = scheduler.now();
            if (state.last().outcome() == Outcome.ERROR) {
                listener.error(line); // a provider error is the operator's problem, not the deploy's
                said = now;
            }
            else if (state.last().outcome() != Outcome.SUCCESS || said == null
                    || state.last().detail().contains(ProbeJudge.RESET_NOTE)
                    || !now.isBefore(said.plus(PROGRESS_EVERY))) {
                listener.info(line);
                said = now;
            }
            due = due.plus(interval);
            Duration delay = Duration.between(scheduler.now(), due);
            schedule(delay.isNegative() ? Duration.ZERO : delay);
        }

        synchronized void stop(final String reason) {
            if (pending != null) {
                leave(this, pending);
            }
            analysis.stop(reason);
        }
    }

    /** Adds a runner to the slot that holds {@code at}, scheduling the slot if it is new. */
    private Slot join(final Runner runner, final Instant at) {
        long slotMillis = SLOT.toMillis();
        Instant time = Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli() + slotMillis - 1, slotMillis) * slotMillis);
        Slot slot;
        synchronized (slots) {
            slot = slots.get(time);
            if (slot != null) {
                slot.runners.add(runner);
                return slot;
            }
            slot = new Slot(time);
            slot.runners.add(runner);
            slots.put(time, slot);
        }
        Duration delay = Duration.between(scheduler.now(), time);
        Slot due = slot;
        Scheduler.Cancellable timer;
        try {
            timer = scheduler.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> fire(due));
        }
        catch (RejectedExecutionException refused) {
            synchronized (slots) {
                due.runners.remove(runner);
                if (due.runners.isEmpty()) {
                    slots.remove(due.time, due);
                }
            }
            throw refused;
        }
        synchronized (slots) {
            due.timer = timer;
        }
        return slot;
    }

    /** Takes a stopped runner out of its slot, and calls the slot's timer off when nobody is left in it. */
    private void leave(final Runner runner, final Slot slot) {
        Scheduler.Cancellable timer = null;
        synchronized (slots) {
            if (slot.runners.remove(runner) && slot.runners.isEmpty() && slots.remove(slot.time, slot)) {
                timer = slot.timer;
            }
        }
        if (timer != null) {
            timer.cancel();
        }
    }

    private void fire(final Slot slot) {
        List<Runner> due;
        synchronized (slots) {
            slots.remove(slot.time, slot);
            due = List.copyOf(slot.runners);
            slot.runners.clear();
        }
        if (!due.isEmpty()) {
            try {
                executor.execute(() -> due.forEach(Runner::sample));
            }
            catch (RejectedExecutionException refused) {
                due.forEach(runner -> runner.stop(refusal(refused)));
                finishIfDone();
            }
        }
    }

    /** The host refused further work (it is shutting down): the watch ends with what it has, nobody waits for ever. */
    private static String refusal(final RejectedExecutionException refused) {
        return "the host stopped taking samples (" + refused.getMessage() + ")";
    }

    /** The samples due at one slot time. */
    private static final class Slot {
        private final Instant time;
        private final List<Runner> runners = new ArrayList<>();
        private Scheduler.Cancellable timer;

        Slot(final Instant time) {
            this.time = time;
        }
    }
}
