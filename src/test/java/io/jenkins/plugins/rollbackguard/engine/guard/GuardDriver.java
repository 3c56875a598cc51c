package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The two ways a host drives the same {@link GuardMachine}; every scenario runs through both.
 *
 * <ul>
 *     <li>{@link #BLOCKING}: {@link GuardSession#run} on a caller thread of its own, as the command line does (its
 *     {@link CallerLoop} runs the machine's work on that thread, the deploy body too); its revert is a nested
 *     blocking run holding the lease, as {@code CliReverter}'s.</li>
 *     <li>{@link #ASYNC}: the machine's events, as the Pipeline step sends them: {@code start} with a work pool of
 *     its own, the deploy body on another thread that reports its end with {@code deployEnded}; its revert is a
 *     nested machine driven the same way, holding the lease.</li>
 * </ul>
 */
enum GuardDriver {
    BLOCKING {
        @Override
        GuardRun start(final GuardFixture fixture, final GuardServices services, final Policy policy,
                       final DeployRequest request, final GuardFixture.Body body) {
            GuardRun run = new GuardRun(this, services);
            Thread caller = new Thread(() -> {
                try {
                    GuardSession session = new GuardSession(services, policy, run.timeline);
                    AtomicReference<GuardMachine> machine = new AtomicReference<>();
                    GuardOutcome outcome = session.run(request, run.deployer(machine, body),
                            blockingReverter(fixture, session.services(), run), false, started -> {
                                machine.set(started);
                                run.machine.complete(started);
                            });
                    run.result.complete(outcome);
                }
                catch (Throwable e) {
                    run.result.completeExceptionally(e);
                }
            }, "guard-test-caller");
            caller.setDaemon(true);
            caller.start();
            return run;
        }

        private Reverter blockingReverter(final GuardFixture fixture, final GuardServices services, final GuardRun run) {
            return plan -> {
                GuardSession nested = new GuardSession(services, GuardFixture.policyOf(plan.leaving()), run.timeline);
                AtomicReference<GuardMachine> machine = new AtomicReference<>();
                return nested.run(GuardFixture.revertRequest(plan), run.deployer(machine, fixture.body()),
                        never(fixture), true, machine::set);
            };
        }
    },

    ASYNC {
        @Override
        GuardRun start(final GuardFixture fixture, final GuardServices services, final Policy policy,
                       final DeployRequest request, final GuardFixture.Body body) {
            GuardRun run = new GuardRun(this, services);
            GuardSession session = new GuardSession(services, policy, run.timeline);
            Reverter reverter = plan -> { // runs on a thread of the work pool: the nested machine works elsewhere
                GuardSession nested = new GuardSession(session.services(), GuardFixture.policyOf(plan.leaving()),
                        run.timeline);
                GuardMachine machine = nested.machine(nested.localHost(never(fixture), fixture.revertWork));
                CompletableFuture<GuardMachine.Step> last = drive(run, machine,
                        machine.start(GuardFixture.revertRequest(plan), true), fixture.body(), fixture.bodies);
                try {
                    return ((GuardMachine.Done) last.get(GuardFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS)).outcome();
                }
                catch (InterruptedException | ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("the nested revert did not end: " + e, e);
                }
            };
            GuardMachine machine = session.machine(session.localHost(reverter, fixture.work));
            run.machine.complete(machine);
            drive(run, machine, machine.start(request, false), body, fixture.bodies).whenComplete((step, failure) -> {
                if (failure != null) {
                    run.result.completeExceptionally(failure);
                }
                else {
                    run.result.complete(((GuardMachine.Done) step).outcome());
                }
            });
            return run;
        }

        /** On a Deploy step the body runs on a thread of its own, which reports the end to the machine. */
        private CompletableFuture<GuardMachine.Step> drive(final GuardRun run, final GuardMachine machine,
                                                           final CompletableFuture<GuardMachine.Step> first,
                                                           final GuardFixture.Body body, final Executor bodies) {
            return first.thenCompose(step -> {
                if (step instanceof GuardMachine.Done) {
                    return CompletableFuture.completedFuture(step);
                }
                RollbackPoint point = step instanceof GuardMachine.Deploy deploy ? deploy.point()
                        : ((GuardMachine.AwaitDeploy) step).point();
                return CompletableFuture.supplyAsync(() -> {
                    Interruption stop = machine.stopCause(); // stopped as the deploy was due: never start it now
                    return machine.deployEnded(point, stop != null ? new GuardMachine.Interrupted(stop, run.stopDetail)
                            : run.runBody(machine, body, point));
                }, bodies).thenCompose(next -> next);
            });
        }
    };

    /**
     * Starts a guarded deploy; the run goes on in the background.
     *
     * @param fixture
     *         the fixture
     * @param services
     *         the services (who takes the lease)
     * @param policy
     *         the policy
     * @param request
     *         what is deployed
     * @param body
     *         the deploy body (a revert's body is always the fixture's installing body)
     * @return the run
     */
    abstract GuardRun start(GuardFixture fixture, GuardServices services, Policy policy, DeployRequest request,
                            GuardFixture.Body body);

    GuardRun start(final GuardFixture fixture, final Policy policy, final DeployRequest request,
                   final GuardFixture.Body body) {
        return start(fixture, fixture.services(), policy, request, body);
    }

    /** Runs a deploy to its end. */
    GuardOutcome deploy(final GuardFixture fixture, final Policy policy, final String version) throws Exception {
        return start(fixture, policy, fixture.request(version), fixture.body()).outcome();
    }

    /** The reverter of a revert: a revert never starts another; the fixture counts any attempt. */
    private static Reverter never(final GuardFixture fixture) {
        return plan -> {
            fixture.forbiddenReverts.incrementAndGet();
            throw new IllegalStateException("a revert never starts another revert");
        };
    }

    /** One guarded deploy under way: its machine, its outcome, and the host's stop. */
    static final class GuardRun {
        final GuardDriver driver;
        final Timeline timeline;
        final CompletableFuture<GuardMachine> machine = new CompletableFuture<>();
        final CompletableFuture<GuardOutcome> result = new CompletableFuture<>();
        private final Object bodyLock = new Object();
        private Thread bodyThread; // guarded by bodyLock
        private volatile String stopDetail;

        GuardRun(final GuardDriver driver, final GuardServices services) {
            this.driver = driver;
            this.timeline = new Timeline(services.scheduler()::now, services.listener());
        }

        /** @return the outcome, waiting a bounded time; the machine's own outcome is the same */
        GuardOutcome outcome() throws Exception {
            return outcome(GuardFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        /** @return the outcome, waiting at most the given time; the machine's own outcome is the same */
        GuardOutcome outcome(final long timeout, final TimeUnit unit) throws Exception {
            GuardOutcome outcome;
            try {
                outcome = result.get(timeout, unit);
            }
            catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            GuardOutcome machines = machine.get().outcome().getNow(null);
            if (machines == null || machines.result() != outcome.result()
                    || !java.util.Objects.equals(machines.explanation(), outcome.explanation())) {
                throw new AssertionError("the driver ended with %s but the machine with %s".formatted(outcome, machines));
            }
            return outcome;
        }

        /** @return how the run failed, waiting a bounded time */
        Throwable failure() throws Exception {
            try {
                GuardOutcome outcome = result.get(GuardFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                throw new AssertionError("expected the run to fail, it ended " + outcome.result() + ": "
                        + outcome.explanation());
            }
            catch (ExecutionException e) {
                return e.getCause();
            }
        }

        /**
         * Stops the run as its host would: the machine is told the cause, and a deploy body that runs is stopped
         * (the Pipeline step stops its body; the command line its deploy command).
         */
        void interrupt(final Interruption cause, final String detail) throws Exception {
            GuardMachine started = machine.get(GuardFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            stopDetail = detail;
            started.interrupt(cause, detail);
            synchronized (bodyLock) {
                if (bodyThread != null) {
                    bodyThread.interrupt();
                }
            }
        }

        /** Runs a body on this thread and tells how it ended, as the host sees it. */
        GuardMachine.DeployEnd runBody(final GuardMachine of, final GuardFixture.Body body, final RollbackPoint point) {
            synchronized (bodyLock) {
                bodyThread = Thread.currentThread();
            }
            try {
                body.run(point);
                Interruption stop = of.stopCause();
                return stop != null ? new GuardMachine.Interrupted(stop, stopDetail)
                        : new GuardMachine.Finished();
            }
            catch (InterruptedException e) {
                Interruption stop = of.stopCause();
                return new GuardMachine.Interrupted(stop == null ? Interruption.OTHER : stop, stopDetail);
            }
            catch (RuntimeException e) {
                return new GuardMachine.Failed(String.valueOf(e.getMessage()));
            }
            finally {
                synchronized (bodyLock) { // no stop meant for the body may reach what this thread does next
                    bodyThread = null;
                    Thread.interrupted();
                }
            }
        }

        /** The blocking driver's deployer: the body on the caller's thread; the session reads the stop itself. */
        Deployer deployer(final AtomicReference<GuardMachine> of, final GuardFixture.Body body) {
            return point -> {
                GuardMachine.DeployEnd end = runBody(of.get(), body, point);
                if (end instanceof GuardMachine.Failed failed) {
                    return failed.failure();
                }
                return end instanceof GuardMachine.Interrupted ? "the deploy was stopped" : null;
            };
        }
    }
}
