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
}
