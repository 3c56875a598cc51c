package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The engine twin of the freestyle pair's ITests ({@code RollbackGuardFreestyleITest}, {@code FreestyleLeaseITest}):
 * each "build" drives one guard machine as a blocking driver on a thread of its own, as a freestyle build does on its
 * executor: the thread waits in a {@link CallerLoop} while the machine's work runs on a work pool (as
 * {@code FreestyleGuard}'s runs on the plugin's {@code WorkPool}), the "Record rollback point" part starts the machine and gets
 * Deploy, the deploy steps run on the same thread, and the "Watch the deploy" part reports their end as the engine's
 * {@link DeployStepsResult} says and awaits the verdict. Jenkins stops a freestyle build by interrupting that thread;
 * here the test does, and the driver tells the machine, as {@code FreestyleGuard} does. The probe is a real HTTP server.
 */
class BuildThreadDriverTest {
    private static final EnvironmentName ENV = EnvironmentName.of("production");

    @TempDir
    Path home;

    private FaultyHttpServer health;
    private SystemScheduler scheduler;
    private ExecutorService samples;
    private ExecutorService work;
    /** A thread to interrupt from within the next STATUS_CHANGED write, wherever that write runs. */
    private final java.util.concurrent.atomic.AtomicReference<Thread> interruptAtWrite =
            new java.util.concurrent.atomic.AtomicReference<>();
    private Ledger ledger;
    private final List<GuardOutcome.Result> reverts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        health = new FaultyHttpServer();
        scheduler = new SystemScheduler(2);
        samples = Executors.newFixedThreadPool(2);
        work = Executors.newCachedThreadPool();
        ledger = Ledger.open(home.resolve("ledger"), Ledger.Options.defaults().withWrites(new Ledger.WriteHook() {
            @Override
            public void before(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
                Thread target = types.contains(LedgerEvent.Type.STATUS_CHANGED) ? interruptAtWrite.getAndSet(null)
                        : null;
                if (target != null) {
                    target.interrupt(); // Executor.interrupt() comes at any moment: here, as a write is under way
                }
            }
        }));
    }

    @AfterEach
    void stop() throws Exception {
        samples.shutdownNow();
        work.shutdownNow();
        scheduler.close();
        health.close();
    }

    /** Twin of the ITest "abort during the recorder": the stop button interrupts the build's thread during the watch. */
    @Test
    void shouldAbortWithoutARevertWhenTheBuildThreadIsInterruptedDuringTheWatch() throws Exception {
        Build build = new Build(1, policy("concurrent: refuse", 100, 600), OwnerLiveness.never(), "SUCCESS");

        build.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> build.pointStatus() == PointStatus.WATCHING
                && build.lines.stream().anyMatch(l -> l.contains("watching 1 probe(s)")));
        build.thread.interrupt(); // what Executor.interrupt() does to a freestyle build's thread
        GuardOutcome outcome = build.outcome.get(20, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(GuardOutcome.Result.ABORTED);
        RollbackPoint point = ledger.point(ENV, outcome.point().id());
        assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
        assertThat(point.verdict()).contains("stopped by a person (Aborted by alice)", "nothing was judged or reverted");
        assertThat(ledger.circuit(ENV).isOpen()).as("an abort is no trip").isFalse();
        assertThat(reverts).as("nothing reverted").isEmpty();
        assertThat(ledger.lease(ENV)).as("the lease is released with the verdict").isEmpty();
        assertThat(build.interrupts).hasValue(1);
        assertThat(ledger.auditTrail(ENV)).filteredOn(e -> e.type() == LedgerEvent.Type.STATUS_CHANGED)
                .extracting(LedgerEvent::to).doesNotContain(PointStatus.BAD, PointStatus.INTERRUPTED);
    }

    /**
     * The stop button interrupts the build's thread while the machine writes WATCHING to the ledger. Were that write
     * on the build's thread (the machine's work on a loop served by it), the interrupt would close its file channel
     * and fail it: the build would fail with the point left half decided instead of being aborted.
     */
    @Test
    void shouldAbortCleanlyWhenTheBuildThreadIsInterruptedDuringALedgerWrite() throws Exception {
        Build build = new Build(1, policy("concurrent: refuse", 100, 600), OwnerLiveness.never(), "SUCCESS");
        build.holdDeploy();

        build.start();
        assertThat(build.deploying.await(20, TimeUnit.SECONDS)).isTrue();
        interruptAtWrite.set(build.thread);
        build.releaseDeploy(); // the steps end: the machine writes WATCHING, and the interrupt lands meanwhile
        GuardOutcome outcome = build.outcome.get(20, TimeUnit.SECONDS);

        assertThat(interruptAtWrite.get()).as("the interrupt came during a write").isNull();
        assertThat(outcome.result()).isEqualTo(GuardOutcome.Result.ABORTED);
        RollbackPoint point = ledger.point(ENV, outcome.point().id());
        assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
        assertThat(ledger.circuit(ENV).isOpen()).as("an abort is no trip").isFalse();
        assertThat(reverts).as("nothing reverted").isEmpty();
        assertThat(ledger.lease(ENV)).as("the lease is released with the verdict").isEmpty();
        assertThat(build.interrupts).hasValue(1);
    }

    /** Twin of the ITest "two freestyle builds to one environment are refused". */
    @Test
    void shouldRefuseASecondBuildWhileTheFirstHoldsTheLease() throws Exception {
        Policy policy = policy("concurrent: refuse", 100, 2);
        Build first = new Build(1, policy, OwnerLiveness.never(), "SUCCESS");
        first.holdDeploy();
        first.start();
        first.deploying.await(20, TimeUnit.SECONDS);

        Build second = new Build(2, policy, OwnerLiveness.never(), "SUCCESS");
        second.start();

        assertThatThrownBy(() -> second.outcome.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(GuardRefusedException.class)
                .cause().hasMessageContainingAll("environment 'production' is busy", "held by jenkins:shop#1",
                        "set concurrent: wait");
        assertThat(ledger.size(ENV)).as("the refused build recorded nothing").isEqualTo(1);
        first.releaseDeploy();
        assertThat(first.outcome.get(20, TimeUnit.SECONDS).result()).isEqualTo(GuardOutcome.Result.GOOD);
        assertThat(ledger.lease(ENV)).isEmpty();
    }

    /** Twin of the ITest "two freestyle builds to one environment are serialised". */
    @Test
    void shouldLetASecondBuildWaitForTheLeaseAndDeployAfterTheFirstsVerdict() throws Exception {
        Policy policy = policy("concurrent: wait\nlockTimeout: 60s", 100, 2);
        Build first = new Build(1, policy, OwnerLiveness.never(), "SUCCESS");
        first.holdDeploy();
        first.start();
        first.deploying.await(20, TimeUnit.SECONDS);

        Build second = new Build(2, policy, OwnerLiveness.never(), "SUCCESS");
        second.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> second.lines.stream().anyMatch(l -> l.contains("waiting up to 60s")));
        assertThat(ledger.size(ENV)).as("the waiting build recorded nothing yet").isEqualTo(1);
        first.releaseDeploy();

        GuardOutcome firstOutcome = first.outcome.get(20, TimeUnit.SECONDS);
        GuardOutcome secondOutcome = second.outcome.get(30, TimeUnit.SECONDS);
        assertThat(firstOutcome.result()).isEqualTo(GuardOutcome.Result.GOOD);
        assertThat(secondOutcome.result()).isEqualTo(GuardOutcome.Result.GOOD);
        List<LedgerEvent> trail = ledger.auditTrail(ENV);
        long firstGood = seqOf(trail, e -> e.pointId() == firstOutcome.point().id() && e.to() == PointStatus.GOOD);
        long secondRecorded = seqOf(trail, e -> e.pointId() == secondOutcome.point().id()
                && e.type() == LedgerEvent.Type.POINT_RECORDED);
        assertThat(secondRecorded).as("the second deploy was recorded after the first one's verdict")
                .isGreaterThan(firstGood);
        assertThat(trail).filteredOn(e -> e.type() == LedgerEvent.Type.LEASE_TAKEN).extracting(LedgerEvent::actor)
                .containsExactly("jenkins:shop#1", "jenkins:shop#2");
    }

    /** Twin of the ITest "abort while waiting for the lease": nothing is recorded, the holder keeps its lease. */
    @Test
    void shouldAbortAWaitingBuildWithoutRecordingAnything() throws Exception {
        Policy policy = policy("concurrent: wait\nlockTimeout: 60s", 100, 2);
        Build first = new Build(1, policy, OwnerLiveness.never(), "SUCCESS");
        first.holdDeploy();
        first.start();
        first.deploying.await(20, TimeUnit.SECONDS);
        Build second = new Build(2, policy, OwnerLiveness.never(), "SUCCESS");
        second.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> second.lines.stream().anyMatch(l -> l.contains("waiting up to")));

        second.thread.interrupt();

        GuardOutcome aborted = second.outcome.get(20, TimeUnit.SECONDS);
        assertThat(aborted.result()).isEqualTo(GuardOutcome.Result.ABORTED);
        assertThat(aborted.point()).isNull();
        assertThat(ledger.size(ENV)).isEqualTo(1);
        assertThat(ledger.lease(ENV)).get().extracting(Lease::owner).isEqualTo("jenkins:shop#1");
        first.releaseDeploy();
        first.outcome.get(20, TimeUnit.SECONDS);
    }

    /**
     * Twin of the unwatched-build ITest: a build whose recorder never took its deploy reports the end by
     * {@link DeployStepsResult#unwatchedEnd}; nothing stays DEPLOYING and the lease is released in every case.
     */
    @Test
    void shouldEndADeployNobodyWatchedByTheStepsResult() throws Exception {
        record Case(String result, PointStatus status, boolean frozen) {
        }
        int number = 0;
        for (Case c : List.of(new Case("SUCCESS", PointStatus.INTERRUPTED, true),
                new Case("ABORTED", PointStatus.ABORTED, false), new Case("FAILURE", PointStatus.BAD, true))) {
            if (ledger.environments().contains(ENV) && ledger.circuit(ENV).isOpen()) {
                ledger.resetCircuit(ENV, "next case", "test");
            }
            Build build = new Build(++number, policy("onTrip: freeze", 100, 2), OwnerLiveness.never(), c.result());
            build.unwatched = true;

            build.start();
            GuardOutcome outcome = build.outcome.get(20, TimeUnit.SECONDS);

            RollbackPoint point = ledger.point(ENV, outcome.point().id());
            assertThat(point.status()).as(c.result()).isEqualTo(c.status);
            assertThat(ledger.circuit(ENV).isOpen()).as(c.result()).isEqualTo(c.frozen);
            assertThat(ledger.lease(ENV)).as(c.result()).isEmpty();
            if (c.status == PointStatus.INTERRUPTED) {
                assertThat(ledger.circuit(ENV).reason()).contains("was not watched", "is not known");
            }
        }
        assertThat(reverts).isEmpty();
    }

    /**
     * The engine side of "a finished build is dead": a build whose recorder never ran left its lease (Jenkins
     * restarted); the next build takes it over only when the liveness says its holder no longer runs.
     */
    @Test
    void shouldTakeOverTheLeaseOfAFinishedBuildOnlyWhenItsLivenessSaysSo() throws Exception {
        ledger.takeLease(ENV, "jenkins:shop#4", OwnerLiveness.never());
        Policy policy = policy("concurrent: refuse", 100, 2);

        Build whileRunning = new Build(5, policy, OwnerLiveness.never(), "SUCCESS");
        whileRunning.start();
        assertThatThrownBy(() -> whileRunning.outcome.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GuardRefusedException.class);

        Build afterwards = new Build(6, policy, "jenkins:shop#4"::equals, "SUCCESS");
        afterwards.start();
        assertThat(afterwards.outcome.get(20, TimeUnit.SECONDS).result()).isEqualTo(GuardOutcome.Result.GOOD);
        assertThat(afterwards.lines).anyMatch(l -> l.contains("took over the lease of 'production' as jenkins:shop#6")
                && l.contains("its holder jenkins:shop#4 is gone"));
        assertThat(ledger.lease(ENV)).isEmpty();
    }

    /** The loop tells its host of each interrupt of its thread, clears the flag, and goes on serving the machine. */
    @Test
    void shouldTellTheHostOfEachInterruptAndKeepServing() throws Exception {
        CallerLoop loop = new CallerLoop();
        CompletableFuture<String> future = new CompletableFuture<>();
        AtomicInteger heard = new AtomicInteger();
        CompletableFuture<Boolean> flagAfter = new CompletableFuture<>();
        Thread driver = new Thread(() -> {
            String value = loop.await(future, () -> {
                heard.incrementAndGet();
                loop.execute(() -> flagAfter.complete(Thread.currentThread().isInterrupted()));
            });
            assertThat(value).isEqualTo("done");
        });
        driver.start();
        await().until(() -> driver.getState() == Thread.State.TIMED_WAITING);
        driver.interrupt();
        assertThat(flagAfter.get(10, TimeUnit.SECONDS)).as("the task after the interrupt ran with a clear flag").isFalse();
        loop.execute(() -> Thread.currentThread().interrupt()); // a task that leaves the flag set
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() == 2);
        future.complete("done");
        driver.join(10_000);
        assertThat(driver.isAlive()).isFalse();
        assertThat(heard).hasValue(2);
    }

    private static long seqOf(final List<LedgerEvent> trail, final java.util.function.Predicate<LedgerEvent> which) {
        return trail.stream().filter(which).mapToLong(LedgerEvent::seq).findFirst().orElseThrow();
    }

    private Policy policy(final String extra, final int intervalMillis, final int count) {
        // the default onTrip unless the case sets its own: the reader refuses a key given twice
        String onTrip = extra.contains("onTrip:") ? "" : "onTrip: rollback";
        return new PolicyReader().parse("test.yaml", """
                environment: production
                %s
                %s
                probes:
                  - type: http
                    name: health
                    url: %s/ok
                    analysis: {interval: %dms, count: %d}
                """.formatted(onTrip, extra, health.url(), intervalMillis, count));
    }

    /**
     * One build of the job {@code shop}: the builder part, the deploy steps and the recorder part on one thread,
     * owner {@code jenkins:shop#N}; the driver does what {@code FreestyleGuard} does.
     */
    private final class Build {
        private final Thread thread;
        private final CompletableFuture<GuardOutcome> outcome = new CompletableFuture<>();
        private final CountDownLatch deploying = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final AtomicInteger interrupts = new AtomicInteger();
        private volatile boolean holding;
        private volatile boolean unwatched;
        private volatile GuardMachine machine;

        Build(final int number, final Policy policy, final OwnerLiveness liveness, final String stepsResult) {
            GuardListener listener = new GuardListener() {
                @Override
                public void info(final String line) {
                    lines.add(line);
                }

                @Override
                public void error(final String line) {
                    lines.add("ERROR " + line);
                }
            };
            GuardServices services = new GuardServices(ledger, new BackupStore(home.resolve("backups")),
                    new FileArtifactStore(home.resolve("artifacts")), SecretSource.none(), new LocalCommandRunner(),
                    scheduler, samples, listener, Notifier.none(),
                    new LeaseOwners(LeaseOwners.jenkins("shop#" + number), liveness));
            GuardSession session = new GuardSession(services, policy, new Timeline(Instant::now, listener));
            DeployRequest request = new DeployRequest(PointSource.jenkins("shop", number), List.of(), null, null,
                    "alice", null, 0, "manual", null, null);
            CallerLoop loop = new CallerLoop();
            Reverter reverter = plan -> {
                reverts.add(GuardOutcome.Result.REVERTING);
                return new GuardOutcome(GuardOutcome.Result.REVERTING, plan.leaving(), "scheduled", null, List.of(), null);
            };
            this.thread = new Thread(() -> {
                try {
                    machine = session.machine(session.localHost(reverter, work));
                    GuardMachine.Step step = loop.await(machine.start(request, false), this::stopAsked);
                    if (step instanceof GuardMachine.Done done) {
                        outcome.complete(done.outcome());
                        return;
                    }
                    RollbackPoint point = ((GuardMachine.Deploy) step).point();
                    deploying.countDown();
                    if (holding) { // the deploy steps
                        release.await();
                    }
                    DeployStepsResult steps = DeployStepsResult.ofBuildResult(stepsResult);
                    String detail = "the build steps ended " + stepsResult;
                    GuardMachine.DeployEnd end = unwatched ? steps.unwatchedEnd(null, detail + " and it was not watched")
                            : steps.deployEnd(null, detail);
                    outcome.complete(((GuardMachine.Done) loop.await(machine.deployEnded(point, end), this::stopAsked))
                            .outcome());
                }
                catch (RuntimeException | InterruptedException e) {
                    outcome.completeExceptionally(e);
                }
            }, "build shop#" + number);
        }

        /** What {@code FreestyleGuard.stopAsked} does: the executor's cause, once. */
        private void stopAsked() {
            interrupts.incrementAndGet();
            if (machine.stopCause() == null) {
                machine.interrupt(Interruption.USER, "Aborted by alice");
            }
        }

        void holdDeploy() {
            holding = true;
        }

        void releaseDeploy() {
            release.countDown();
        }

        void start() {
            thread.start();
        }

        PointStatus pointStatus() {
            return machine == null ? null : machine.point().map(p -> ledger.point(ENV, p.id()).status()).orElse(null);
        }
    }
}
