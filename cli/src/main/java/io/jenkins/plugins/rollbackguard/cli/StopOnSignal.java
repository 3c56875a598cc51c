package io.jenkins.plugins.rollbackguard.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardMachine;
import io.jenkins.plugins.rollbackguard.engine.guard.Interruption;

/**
 * Turns Ctrl-C or a {@code kill} (SIGINT, SIGTERM) during a guarded deploy into a stop of its machine, so that the
 * point is ABORTED in the ledger (nothing trips, nothing is reverted, the lease is released) before the process
 * exits, instead of being found INTERRUPTED with the environment frozen by the next run. A person or a CI job's
 * timeout sends these signals: both are deliberate stops.
 */
final class StopOnSignal implements AutoCloseable {
    /** How long the exiting process lets the machine record the stop. */
    private static final Duration GRACE = Duration.ofSeconds(20);

    private final Thread hook = new Thread(this::stop, "rollback-guard-stop");
    private volatile GuardMachine machine;
    private volatile boolean closed;

    StopOnSignal() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Tells which machine a signal stops.
     *
     * @param running
     *         the machine of this run
     */
    void attach(final GuardMachine running) {
        machine = running;
    }

    private void stop() {
        GuardMachine running = machine;
        if (running == null || closed || running.outcome().isDone()) {
            return;
        }
        System.err.println("rollback-guard: stop asked (signal): aborting the guarded deploy");
        // the machine interrupts the driver's thread only while the deploy command runs (its runner kills it),
        // never while that thread serves the machine's ledger writes
        running.interrupt(Interruption.USER, "the command got SIGINT or SIGTERM");
        try {
            running.outcome().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception e) { // the process exits anyway; the next run finds the point and says what is known
            System.err.println("rollback-guard: the stop was not recorded within " + GRACE.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException e) {
            // already shutting down: the hook runs and finds the machine done
        }
    }
}
