package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * Guard machines in this process, driven asynchronously as a host that holds no thread would drive them: one ledger
 * and backup store, a {@link DetectingPool} as the sample pool, a real timer whose fired tasks run on the sample pool
 * (as Jenkins' timer hands them to its sample pool), a work pool apart from it, and the deploy bodies on a third
 * executor. Every machine shares the sample pool, so that tests can see whether one
 * deploy's work takes samples from another's.
 */
final class MachineRig implements AutoCloseable {
    private final Path root;
    private final Ledger ledger;
    private final BackupStore backups;
    private final SystemScheduler timer = new SystemScheduler(2);
    private final DetectingPool samples;
    /** As Jenkins' TimerScheduler: the timer only fires, what it fires runs on the sample pool. */
    private final Scheduler scheduler = new Scheduler() {
        @Override
        public java.time.Instant now() {
            return timer.now();
        }

        @Override
        public Cancellable schedule(final java.time.Duration delay, final Runnable task) {
            return timer.schedule(delay, () -> samples.execute(task));
        }
    };
    private final ExecutorService work = pool("rig-work", 4);
    private final ExecutorService deploys = Executors.newCachedThreadPool(named("rig-deploy"));
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final GuardListener listener = new GuardListener() {
        @Override
        public void info(final String line) {
            // progress lines of eight deploys would drown the figures
        }

        @Override
        public void error(final String line) {
            errors.add(line);
        }
    };

    /**
     * Builds the rig.
     *
     * @param root
     *         a fresh directory for the ledger, backups and artifacts
     * @param sampleThreads
     *         the size of the sample pool
     */
    MachineRig(final Path root, final int sampleThreads) {
        this.root = root;
        this.ledger = Ledger.open(root.resolve("ledger"));
        this.backups = new BackupStore(root.resolve("backups"));
        this.samples = new DetectingPool("rig-sample", sampleThreads);
    }

    Ledger ledger() {
        return ledger;
    }

    DetectingPool samples() {
        return samples;
    }

    BackupStore backups() {
        return backups;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** @return the error lines the machines printed (a ledger write that failed, a probe provider error) */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /**
     * A session of a policy on this rig's services.
     *
     * @param policy
     *         the policy
     * @return the session
     */
    GuardSession session(final Policy policy) {
        GuardServices services = new GuardServices(ledger, backups,
                new FileArtifactStore(root.resolve("artifacts").resolve(policy.environment().value())), SecretSource.none(),
                new LocalCommandRunner(), scheduler, samples, listener, Notifier.none(), LeaseOwners.process());
        return new GuardSession(services, policy, new Timeline(scheduler::now, listener));
    }

    /**
     * The local host of a session, its blocking work on the rig's work pool (never the sample pool).
     *
     * @param session
     *         the session
     * @return the host
     */
    GuardMachine.Host localHost(final GuardSession session) {
        return session.localHost(plan -> {
            throw new AssertionError("no deploy of these tests trips, yet " + plan.leaving().label() + " is reverted");
        }, work);
    }

    /**
     * Starts a guarded deploy and drives it to its outcome without holding a thread: the deploy body runs on the
     * deploy executor when the machine asks, its end is told with {@code deployEnded}.
     *
     * @param session
     *         the session
     * @param host
     *         the machine's host
     * @param run
     *         the run id of the point
     * @param body
     *         the deploy, given the DEPLOYING point
     * @return completes with the outcome
     */
    CompletableFuture<GuardOutcome> deploy(final GuardSession session, final GuardMachine.Host host, final String run,
                                           final java.util.function.Consumer<RollbackPoint> body) {
        GuardMachine machine = session.machine(host);
        DeployRequest request = new DeployRequest(PointSource.cli(run), List.of(), null, Map.of(), "tester", null, 0,
                "manual", null, Map.of());
        return machine.start(request, false).thenCompose(step -> {
            if (step instanceof GuardMachine.Done done) {
                return CompletableFuture.completedFuture(done.outcome());
            }
            RollbackPoint point = ((GuardMachine.Deploy) step).point();
            return CompletableFuture.runAsync(() -> body.accept(point), deploys)
                    .thenCompose(v -> machine.deployEnded(point, new GuardMachine.Finished()))
                    .thenApply(next -> ((GuardMachine.Done) next).outcome());
        });
    }

    /**
     * A policy with one HTTP probe whose threshold is relative to the baseline (the value at {@code /rate} must not
     * drop by more than half).
     *
     * @param environment
     *         the environment
     * @param url
     *         the probe's URL, answering {@code {"rate": ...}}
     * @param interval
     *         the sample interval
     * @param count
     *         the samples the watch plans
     * @param baselineSamples
     *         the samples of the baseline
     * @return the policy
     */
    static Policy relativeProbePolicy(final String environment, final String url, final String interval, final int count,
                                      final int baselineSamples) {
        return new PolicyReader().parse(environment + ".yaml", """
                environment: %s
                probes:
                  - type: http
                    name: rate
                    url: %s
                    jsonPointer: /rate
                    failIf: "drop > 50%%"
                    analysis: {interval: %s, count: %d, baselineSamples: %d}
                """.formatted(environment, url, interval, count, baselineSamples));
    }

    private static ExecutorService pool(final String name, final int size) {
        return Executors.newFixedThreadPool(size, named(name));
    }

    private static java.util.concurrent.ThreadFactory named(final String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() throws Exception {
        deploys.shutdownNow();
        work.shutdownNow();
        timer.close();
        samples.close();
        work.awaitTermination(5, TimeUnit.SECONDS);
    }
}
