package io.jenkins.plugins.rollbackguard.engine.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Takes one sample of a target's health. Build one from a {@link ProbeSpec} with
 * {@code engine.health.probe.ProbeFactory}. A probe never throws for a fault of its target or provider:
 * it reports it as a {@link Measurement} with outcome FAILURE, ERROR or NO_DATA and a masked detail.
 */
public interface Probe {
    /** @return the probe's name */
    String name();

    /**
     * Takes one sample, blocking until it is done or timed out.
     *
     * @return the raw measurement (thresholds are applied later, by {@link Analysis})
     */
    Measurement sample();

    /**
     * Takes one sample without blocking the caller. The default runs {@link #sample()} on the executor;
     * HTTP probes override it to use asynchronous I/O, so that no thread waits on a socket.
     *
     * @param executor
     *         where blocking work runs
     * @return the measurement, never completed exceptionally
     */
    default CompletableFuture<Measurement> sampleAsync(final Executor executor) {
        return CompletableFuture.supplyAsync(this::sample, executor);
    }

    /** How much of a response a probe keeps for the evidence of a trip: the first 4 KiB of a body or an output. */
    int RESPONSE_BYTES = 4 * 1024;

    /**
     * Returns the last response this probe got, for the evidence of a trip: for HTTP the status and the first
     * {@link #RESPONSE_BYTES} of the body, for Prometheus the query's answer, for a command its exit code and the
     * ends of its output; secrets masked. Kept cheaply at each sample (a reference), written out only at a trip.
     *
     * @return the last response, or empty when there is none or the probe does not keep it (one on an agent)
     */
    default java.util.Optional<String> lastResponse() {
        return java.util.Optional.empty();
    }

    /**
     * Reads what the probe would have read at a past instant, from the provider's history: only a Prometheus probe
     * can (an instant query with {@code time}); a counting probe's history baseline ({@code analysis.baselineWindow})
     * is read so.
     *
     * @param at
     *         the instant
     * @return the reading, or empty when this probe keeps no history (its baseline is then sampled)
     */
    default java.util.Optional<java.util.concurrent.CompletableFuture<Measurement>> sampleAt(final java.time.Instant at) {
        return java.util.Optional.empty();
    }
}
