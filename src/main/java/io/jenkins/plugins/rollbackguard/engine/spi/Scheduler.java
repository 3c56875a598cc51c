package io.jenkins.plugins.rollbackguard.engine.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * Time and timers for the engine. Nothing in the engine calls {@code System.currentTimeMillis()} or
 * sleeps: it asks a scheduler, so that unit tests run in virtual time and Jenkins can schedule on
 * {@code jenkins.util.Timer} without holding a thread between samples.
 */
public interface Scheduler {
    /** @return the current time */
    Instant now();

    /**
     * Runs a task once after a delay. The task must be short: long I/O belongs on a pool of its own.
     *
     * @param delay
     *         the delay; zero or negative runs it as soon as possible
     * @param task
     *         what to run
     * @return a handle that cancels the task if it has not run yet
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not started. */
        void cancel();
    }
}
