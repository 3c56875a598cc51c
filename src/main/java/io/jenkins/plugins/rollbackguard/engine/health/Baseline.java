package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The value a probe had before the deploy: the median of several samples. Relative thresholds
 * ({@code drop > 20%}) compare against it. Obtain one with {@link #sample} or {@link #median}.
 *
 * @param median
 *         the median, {@link Double#NaN} when no sample had a value (use {@link #value()})
 * @param samples
 *         how many samples had a value
 * @param reason
 *         why there is no baseline, else empty
 * @param sampled
 *         the samples taken, as they came (the statistical judges compare with them: the Mann-Whitney judge their
 *         values, the sequential judge their counts); empty for a baseline kept before they were (issue 18), or
 *         given as a value
 */
public record Baseline(double median, int samples, String reason, List<Measurement> sampled) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release; a stream without sampled reads it as empty

    /** Copies the samples; none when absent (a baseline persisted before they were kept). */
    public Baseline {
        sampled = sampled == null ? List.of() : List.copyOf(sampled);
    }

    /**
     * Creates a baseline without its samples.
     *
     * @param median
     *         the median, NaN for none
     * @param samples
     *         how many samples had a value
     * @param reason
     *         why there is none, else empty
     */
    public Baseline(final double median, final int samples, final String reason) {
        this(median, samples, reason, List.of());
    }

    /**
     * Returns this baseline with the samples it was computed from.
     *
     * @param taken
     *         the samples
     * @return the copy
     */
    public Baseline withSampled(final List<Measurement> taken) {
        return new Baseline(median, samples, reason, taken);
    }

    /** @return the values of the successful samples, in the order taken */
    public List<Double> values() {
        List<Double> values = new ArrayList<>();
        for (Measurement m : sampled) {
            if (m.outcome() == Outcome.SUCCESS && m.optionalValue().isPresent() && Double.isFinite(m.value())) {
                values.add(m.value());
            }
        }
        return values;
    }

    /**
     * Returns a missing baseline.
     *
     * @param reason
     *         why there is none
     * @return the baseline
     */
    public static Baseline none(final String reason) {
        return new Baseline(Double.NaN, 0, reason);
    }

    /**
     * Returns a known baseline.
     *
     * @param value
     *         the value
     * @return the baseline
     */
    public static Baseline of(final double value) {
        return new Baseline(value, 1, "");
    }

    /** @return the baseline value, empty if none */
    public OptionalDouble value() {
        return Double.isNaN(median) ? OptionalDouble.empty() : OptionalDouble.of(median);
    }

    /**
     * Computes the median of the values of successful samples; errors, failures and no-data are skipped.
     *
     * @param measurements
     *         raw samples
     * @return the baseline, or a missing one if no sample had a value
     */
    public static Baseline median(final List<Measurement> measurements) {
        List<Double> values = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.outcome() == Outcome.SUCCESS && m.optionalValue().isPresent() && Double.isFinite(m.value())) {
                values.add(m.value());
            }
        }
        if (values.isEmpty()) {
            return none("none of %d baseline samples had a value".formatted(measurements.size()))
                    .withSampled(measurements);
        }
        Collections.sort(values);
        int mid = values.size() / 2;
        double median = values.size() % 2 == 1 ? values.get(mid) : (values.get(mid - 1) + values.get(mid)) / 2;
        return new Baseline(median, values.size(), "", measurements);
    }

    /**
     * Samples a probe as its spec says: {@code analysis.baselineSamples} samples, {@code analysis.interval}
     * apart. Call it before the deploy.
     *
     * @param spec
     *         the probe's configuration
     * @param probe
     *         the probe built from it
     * @param scheduler
     *         the clock and timer
     * @param executor
     *         where samples run
     * @return the baseline, when all samples are in
     */
    public static CompletableFuture<Baseline> sample(final ProbeSpec spec, final Probe probe,
            final Scheduler scheduler, final Executor executor) {
        AnalysisSettings settings = spec.analysis();
        return sample(probe, settings.baselineSamples(), settings.intervalDuration(), scheduler, executor);
    }

    /**
     * Samples a probe {@code count} times, {@code interval} apart, and returns the median. Samples run
     * on the executor; the scheduler only times them.
     *
     * @param probe
     *         the probe
     * @param count
     *         how many samples
     * @param interval
     *         time between samples
     * @param scheduler
     *         the clock and timer
     * @param executor
     *         where samples run
     * @return the baseline, when all samples are in; cancelling it takes no further samples
     */
    public static CompletableFuture<Baseline> sample(final Probe probe, final int count, final Duration interval,
            final Scheduler scheduler, final Executor executor) {
        return sample(probe, count, interval, scheduler, executor, List.of(), m -> { });
    }

    /**
     * Samples a probe until {@code count} samples are in, counting those taken before (a machine resumed after a
     * restart goes on where it stood), {@code interval} apart, and tells each new sample as it comes. Samples run on
     * the executor; the scheduler only times them. Several probes sampled this way sample at the same time, each at
     * its own interval.
     *
     * @param probe
     *         the probe
     * @param count
     *         how many samples in all
     * @param interval
     *         time between samples
     * @param scheduler
     *         the clock and timer
     * @param executor
     *         where samples run
     * @param before
     *         samples taken before, counted in
     * @param onSample
     *         told of each new sample, with those before it, on the sample's thread: it must not block
     * @return the baseline, when all samples are in; cancelling it takes no further samples
     */
    public static CompletableFuture<Baseline> sample(final Probe probe, final int count, final Duration interval,
            final Scheduler scheduler, final Executor executor, final List<Measurement> before,
            final java.util.function.Consumer<List<Measurement>> onSample) {
        CompletableFuture<Baseline> result = new CompletableFuture<>();
        List<Measurement> taken = Collections.synchronizedList(new ArrayList<>(before));
        if (taken.size() >= count) {
            result.complete(median(List.copyOf(taken)));
            return result;
        }
        if (taken.isEmpty()) {
            next(probe, count, interval, scheduler, executor, taken, onSample, result);
        }
        else { // resumed: the next sample is one interval after the last one taken
            schedule(interval, probe, count, scheduler, executor, taken, onSample, result);
        }
        return result;
    }

    /**
     * Reads a counting probe's baseline from its provider's history ({@code analysis.baselineWindow}): the counters
     * {@code window} before {@code now} and at {@code now}, both at once, so that the baseline counts the window's
     * traffic and nobody waits for it. Two readings taken before (a machine resumed after a restart) are the baseline
     * as they stand; fewer are read again.
     *
     * @param probe
     *         the probe
     * @param window
     *         how far back the first reading is
     * @param now
     *         the deploy's start
     * @param before
     *         readings taken before
     * @param onSample
     *         told of both readings once they are in, on a reading's thread: it must not block
     * @return the baseline, or empty when the probe keeps no history (sample it instead)
     */
    public static java.util.Optional<CompletableFuture<Baseline>> history(final Probe probe, final Duration window,
            final java.time.Instant now, final List<Measurement> before,
            final java.util.function.Consumer<List<Measurement>> onSample) {
        if (before.size() >= 2) {
            return java.util.Optional.of(CompletableFuture.completedFuture(median(List.copyOf(before))));
        }
        java.util.Optional<CompletableFuture<Measurement>> start = probe.sampleAt(now.minus(window));
        if (start.isEmpty()) {
            return java.util.Optional.empty();
        }
        CompletableFuture<Measurement> end = probe.sampleAt(now).orElseThrow();
        return java.util.Optional.of(start.get().thenCombine(end, (first, last) -> {
            List<Measurement> both = List.of(first, last);
            onSample.accept(both);
            return median(both);
        }));
    }

    private static void schedule(final Duration interval, final Probe probe, final int count,
            final Scheduler scheduler, final Executor executor, final List<Measurement> taken,
            final java.util.function.Consumer<List<Measurement>> onSample, final CompletableFuture<Baseline> result) {
        try {
            scheduler.schedule(interval, () -> next(probe, count, interval, scheduler, executor, taken, onSample, result));
        }
        catch (RejectedExecutionException refused) {
            result.completeExceptionally(refused);
        }
    }

    /**
     * Takes the next sample. A host that refuses the work (its pool or timer has shut down) fails the result, so
     * that nobody waits on it for ever.
     */
    private static void next(final Probe probe, final int count, final Duration interval, final Scheduler scheduler,
            final Executor executor, final List<Measurement> taken,
            final java.util.function.Consumer<List<Measurement>> onSample, final CompletableFuture<Baseline> result) {
        if (result.isDone()) {
            return; // cancelled (the deploy was stopped): no more samples
        }
        try {
            probe.sampleAsync(executor).whenComplete((m, e) -> {
                if (result.isDone()) {
                    return; // stopped while it ran: neither told nor counted
                }
                List<Measurement> now;
                synchronized (taken) {
                    taken.add(m == null
                            ? Measurement.withoutValue(scheduler.now(), Outcome.ERROR, "baseline sample failed") : m);
                    now = List.copyOf(taken);
                }
                try {
                    onSample.accept(now);
                }
                catch (RuntimeException told) {
                    // what is told of a sample (a progress line, a ledger write queued) never stops the sampling
                }
                if (now.size() >= count) {
                    result.complete(median(now));
                }
                else {
                    schedule(interval, probe, count, scheduler, executor, taken, onSample, result);
                }
            });
        }
        catch (RejectedExecutionException refused) {
            result.completeExceptionally(refused);
        }
    }
}
