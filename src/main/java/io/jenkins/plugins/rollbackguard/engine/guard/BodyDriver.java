package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The asynchronous driver of a {@link GuardMachine} for a host whose deploy is a body that runs elsewhere and
 * reports its end (a Pipeline block): it starts or resumes the machine, starts the body when the machine asks, hands
 * the body's end to the machine, passes a stop on, and ends the host's step once the machine is done and no body
 * runs. It holds no thread: every event comes from the host or from the machine's futures, and its work runs on the
 * host's work executor.
 *
 * <p>Across a restart its only memory is the host's record of the body ({@linkplain Body#remember launched, and how
 * it ended}), which the host keeps with the point id (a Pipeline step in {@code program.dat}); the ledger wins over
 * it. A body end that arrives before the machine is rebuilt is queued; one that arrives when the machine no longer
 * waits for it (the ledger has the deploy's end already) is ignored; a body resumed from a save older than the
 * ledger is cancelled. The body's record is what lets a restart after the body ended, but before the machine wrote
 * WATCHING, continue the watch instead of waiting forever.</p>
 */
public final class BodyDriver {
    private final Body body;
    private final Executor work;

    private GuardMachine machine; // guarded by this
    private RollbackPoint awaiting; // guarded by this: the point whose deploy the machine waits for
    private boolean delivered; // guarded by this
    private boolean requested; // guarded by this: the body was started in this process
    private boolean launched; // guarded by this
    private GuardMachine.DeployEnd end; // guarded by this
    private boolean cancelled; // guarded by this
    private Object result; // guarded by this: the machine's outcome, or its failure
    private boolean completed; // guarded by this
    private Interruption stopCause; // guarded by this
    private String stopDetail; // guarded by this

    /** What the host does for the driver. Its methods are called without the driver's lock. */
    public interface Body {
        /**
         * Starts the deploy body, without blocking; the host reports {@link #started()} and {@link #ended} later.
         *
         * @param point
         *         the point being deployed (DEPLOYING)
         */
        void start(RollbackPoint point);

        /**
         * Cancels the body, without blocking; it still reports its end.
         *
         * @param reason
         *         why, for the build log
         */
        void cancel(String reason);

        /**
         * Keeps the body's record with the host's own state, so that a restarted host can hand it back; called under
         * the driver's lock, so it must be quick (set fields, ask for a save).
         *
         * @param launched
         *         whether the body was launched
         * @param end
         *         how it ended ({@link #write}), or null while it runs
         */
        void remember(boolean launched, String end);

        /**
         * Ends the host's step: the machine is done and no body runs.
         *
         * @param outcome
         *         the outcome
         */
        void done(GuardOutcome outcome);

        /**
         * Ends the host's step with the machine's failure (preflight or the lease refused, an error).
         *
         * @param failure
         *         the failure
         */
        void failed(Throwable failure);
    }

    /**
     * Creates a driver.
     *
     * @param body
     *         what the host does
     * @param work
     *         where the driver's work runs (the host's work executor, never the sample pool)
     * @param launched
     *         the host's record: whether the body was launched (false for a new step)
     * @param end
     *         the host's record: how the body ended ({@link #write}), or null
     */
    public BodyDriver(final Body body, final Executor work, final boolean launched, final String end) {
        this.body = body;
        this.work = work;
        this.end = read(end);
        this.launched = launched || this.end != null;
    }

    /**
     * Starts a new guarded deploy.
     *
     * @param created
     *         the machine, not started
     * @param request
     *         what is deployed
     */
    public void start(final GuardMachine created, final DeployRequest request) {
        attach(created);
        follow(created.start(request, false));
    }

    /**
     * Continues the guarded deploy of a point after the host restarted (or after a host that did not save the point
     * id found it again in the ledger).
     *
     * @param created
     *         the machine, not started
     * @param recorded
     *         the point as the ledger has it
     */
    public void resume(final GuardMachine created, final RollbackPoint recorded) {
        GuardState state = GuardState.of(recorded);
        boolean stale;
        synchronized (this) {
            stale = state != null && state.phase().compareTo(GuardState.Phase.DEPLOYING) > 0 && bodyRuns() && !cancelled;
            cancelled |= stale;
        }
        if (stale) {
            body.cancel("the ledger has the end of the deploy of %s from before the restart; the body resumed from an "
                    .formatted(recorded.label()) + "older save is stopped");
        }
        attach(created);
        follow(created.resume(recorded.environment(), recorded.id(), false));
    }

    /** The host launched the body (a Pipeline reports it from the body's callback). */
    public void started() {
        synchronized (this) {
            launched = true;
            body.remember(true, write(end));
        }
    }

    /**
     * The body ended; the first end counts. Quick: the machine hears it on the work executor.
     *
     * @param how
     *         how it ended
     */
    public void ended(final GuardMachine.DeployEnd how) {
        synchronized (this) {
            if (end == null) {
                end = how;
                launched = true;
                body.remember(true, write(how));
            }
        }
        work.execute(this::deliver);
    }

    /**
     * Asks the machine to stop, and cancels a running body. Quick; a stop may come more than once.
     *
     * @param cause
     *         why, classified by the host
     * @param detail
     *         the host's words, or null
     */
    public void stop(final Interruption cause, final String detail) {
        GuardMachine current;
        boolean cancel;
        synchronized (this) {
            if (completed) {
                return;
            }
            if (stopCause == null) {
                stopCause = cause;
                stopDetail = detail;
            }
            current = machine;
            cancel = bodyRuns() && !cancelled;
            cancelled |= cancel;
        }
        if (cancel) {
            body.cancel(cause.describe() + (detail == null ? "" : " (" + detail + ")"));
        }
        if (current != null) {
            work.execute(() -> current.interrupt(cause, detail));
        }
    }

    /**
     * Tells why a deploy that ended ABORTED stopped: the interruption the ledger recorded on its point, else the stop
     * this driver was given. A deploy ABORTED without one stopped by itself (a backup failed and the policy stops).
     *
     * @param outcome
     *         the machine's outcome
     * @return the interruption, if it was one
     */
    public Optional<Interruption> interruptionOf(final GuardOutcome outcome) {
        GuardState state = outcome.point() == null ? null : GuardState.of(outcome.point());
        if (state != null && state.interruption() != null) {
            return Optional.of(state.interruption());
        }
        synchronized (this) {
            return Optional.ofNullable(stopCause);
        }
    }

    private void attach(final GuardMachine created) {
        Interruption pending;
        String detail;
        synchronized (this) {
            machine = created;
            pending = stopCause;
            detail = stopDetail;
        }
        if (pending != null) { // a stop that came while the host prepared: the machine ends without deploying
            created.interrupt(pending, detail);
        }
        created.outcome().whenCompleteAsync(this::machineDone, work);
    }

    private void follow(final CompletableFuture<GuardMachine.Step> next) {
        // a failure completes the machine's outcome too: machineDone ends the step
        next.thenAcceptAsync(this::onStep, work);
    }

    private void onStep(final GuardMachine.Step step) {
        RollbackPoint point;
        boolean start;
        boolean neverRan;
        Interruption stop;
        String detail;
        synchronized (this) {
            if (completed) {
                return;
            }
            if (step instanceof GuardMachine.Deploy deploy) {
                point = deploy.point();
                if (!requested) { // the machine has just recorded DEPLOYING: any older record of a body is stale
                    launched = false;
                    end = null;
                    body.remember(false, null);
                }
            }
            else if (step instanceof GuardMachine.AwaitDeploy await) {
                point = await.point();
            }
            else {
                return; // done: the outcome ends the step
            }
            awaiting = point;
            delivered = false;
            stop = stopCause;
            detail = stopDetail;
            neverRan = !launched && !requested && end == null;
            // a body recorded as launched resumes and reports its end itself; one never launched is started now
            start = stop == null && neverRan;
            requested |= start;
        }
        if (stop != null && neverRan) { // the stop came after the machine's last look: no deploy runs
            ended(new GuardMachine.Interrupted(stop, detail));
        }
        else if (start) {
            try {
                body.start(point);
            }
            catch (RuntimeException e) { // nothing ran, but DEPLOYING is recorded: the machine decides what is known
                ended(new GuardMachine.Interrupted(Interruption.OTHER, "the body could not be started: " + e.getMessage()));
            }
        }
        else {
            deliver(); // an end already known (reported before a restart, or before the machine was rebuilt)
        }
    }

    private void deliver() {
        RollbackPoint point;
        GuardMachine.DeployEnd how;
        GuardMachine current;
        synchronized (this) {
            if (awaiting == null || delivered || end == null) {
                point = null;
                how = null;
                current = null;
            }
            else {
                delivered = true;
                point = awaiting;
                how = end;
                current = machine;
            }
        }
        if (current != null) {
            follow(current.deployEnded(point, how));
        }
        complete(); // the machine may be done already, waiting only for the body
    }

    private void machineDone(final GuardOutcome outcome, final Throwable failure) {
        synchronized (this) {
            result = failure == null ? outcome
                    : failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        }
        complete();
    }

    /** Ends the step once the machine is done and no body runs; a body still running is cancelled first. */
    private void complete() {
        Object finished;
        boolean cancel = false;
        boolean finish = false;
        synchronized (this) {
            if (completed || result == null) {
                return;
            }
            finished = result;
            if (bodyRuns()) { // it reports its end, which completes the step
                cancel = !cancelled;
                cancelled = true;
            }
            else {
                completed = true;
                finish = true;
            }
        }
        if (cancel) {
            body.cancel("the guard is done: " + (finished instanceof GuardOutcome outcome ? outcome.explanation()
                    : "it failed"));
        }
        else if (finish && finished instanceof GuardOutcome outcome) {
            body.done(outcome);
        }
        else if (finish) {
            body.failed((Throwable) finished);
        }
    }

    private boolean bodyRuns() {
        return (requested || launched) && end == null;
    }

    /**
     * Writes how a body ended, for a host to keep as text (a Pipeline's {@code program.dat} keeps no engine class).
     *
     * @param how
     *         how it ended, or null
     * @return the text, or null
     */
    public static String write(final GuardMachine.DeployEnd how) {
        if (how == null) {
            return null;
        }
        if (how instanceof GuardMachine.Failed failed) {
            return "failed:" + failed.failure();
        }
        if (how instanceof GuardMachine.Interrupted interrupted) {
            return "interrupted:" + interrupted.cause().name() + ":"
                    + (interrupted.detail() == null ? "" : interrupted.detail());
        }
        return "finished";
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param text
     *         the text, or null
     * @return how the body ended, or null
     */
    public static GuardMachine.DeployEnd read(final String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.startsWith("failed:")) {
            return new GuardMachine.Failed(text.substring("failed:".length()));
        }
        if (text.startsWith("interrupted:")) {
            String[] parts = text.substring("interrupted:".length()).split(":", 2);
            return new GuardMachine.Interrupted(Interruption.valueOf(parts[0]),
                    parts.length < 2 || parts[1].isEmpty() ? null : parts[1]);
        }
        return new GuardMachine.Finished();
    }
}
