package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;

/**
 * A stop in every phase of a guarded deploy, for every cause, through both drivers. A deliberate stop (a person, a
 * timeout, a newer build) aborts: the point is ABORTED (or, before it exists, nothing is recorded), nothing trips
 * and the circuit stays as it was. Any other cause leaves the deploy's effect unknown once a point exists: the point
 * is INTERRUPTED and the environment frozen with a reason naming the cause. Nothing is ever reverted, the lease is
 * released, and what the stop interrupted (a backup's process) is gone once the run has ended.
 */
class GuardInterruptionTest {
    /** A stop ends a run at once: far less than what any phase below would still take on its own. */
    private static final long PROMPT_SECONDS = 8;
    private static final String OTHER_HOLDER = "jenkins:shop-deploy#7";

    @TempDir
    Path dir;

    private GuardFixture fixture;

    /** Where the run stands when it is stopped, and what it did of the deploy by then. */
    enum Phase {
        /** Waiting for the environment's lease, held by another build. */
        LEASE(false, 0, 0),
        /** The point is being written (the stop comes before the machine knows it). */
        RECORD(false, 0, 0),
        /** Preparing: sampling the baseline of a relative threshold (a sample every 10 s). */
        BASELINE(false, 0, 0),
        /** Preparing: a command backup that would run for 30 s. */
        BACKUP(false, 0, 0),
        /** DEPLOYING was just written, the host has not started the body: it must not start it now. */
        DEPLOY_START(true, 0, 0),
        /** The deploy body runs. */
        DEPLOY(true, 1, 0),
        /** Watching the health endpoint (50 samples 100 ms apart). */
        WATCH(true, 1, 1);

        final boolean deployStarted;
        final int bodiesStarted;
        final int bodiesFinished;

        Phase(final boolean deployStarted, final int bodiesStarted, final int bodiesFinished) {
            this.deployStarted = deployStarted;
            this.bodiesStarted = bodiesStarted;
            this.bodiesFinished = bodiesFinished;
        }
    }

    static Stream<Arguments> stops() {
        List<Arguments> all = new ArrayList<>();
        for (GuardDriver driver : GuardDriver.values()) {
            for (Phase phase : Phase.values()) {
                for (Interruption cause : Interruption.values()) {
                    all.add(Arguments.of(driver, phase, cause));
                }
            }
        }
        return all.stream();
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new GuardFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @ParameterizedTest(name = "{0} stopped while {1} for {2}")
    @MethodSource("stops")
    void shouldEndAsTheCauseOfTheStopSays(final GuardDriver driver, final Phase phase, final Interruption cause)
            throws Exception {
        Path pidFile = dir.resolve("backup.pid");
        GuardFixture.Pause pause = switch (phase) {
            case RECORD -> fixture.pauseAt(LedgerEvent.Type.POINT_RECORDED, false);
            case DEPLOY_START -> fixture.pauseAt(LedgerEvent.Type.STATUS_CHANGED, true);
            default -> null;
        };
        GuardDriver.GuardRun run = startIn(driver, phase, pidFile);
        reach(phase, run, pidFile, pause);

        run.interrupt(cause, "asked by the test");
        if (pause != null) {
            pause.release();
        }
        GuardOutcome outcome = run.outcome(PROMPT_SECONDS, TimeUnit.SECONDS);

        List<RollbackPoint> points = fixture.points();
        assertThat(fixture.revertBodiesStarted).as("nothing reverted").hasValue(0);
        assertThat(fixture.events(GuardEvent.Type.TRIP)).as("nothing tripped").isEmpty();
        assertThat(fixture.events(GuardEvent.Type.REVERT_STARTED)).isEmpty();
        if (phase == Phase.LEASE) {
            assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.ABORTED);
            assertThat(outcome.point()).isNull();
            assertThat(outcome.explanation()).contains("nothing was recorded or run", cause.describe());
            assertThat(points).as("nothing recorded").isEmpty();
            assertThat(fixture.ledger.lease(GuardFixture.ENV)).as("the other build keeps its lease")
                    .map(Lease::owner).contains(OTHER_HOLDER);
            assertThat(GuardSession.circuitOf(fixture.ledger, GuardFixture.ENV).isOpen()).isFalse();
            assertThat(fixture.bodiesStarted).hasValue(0);
            return;
        }
        assertThat(points).as(fixture.describe()).hasSize(1);
        RollbackPoint point = points.get(0);
        GuardState state = GuardState.of(point);
        assertThat(state.phase()).isEqualTo(GuardState.Phase.DONE);
        assertThat(state.interruption()).isEqualTo(cause);
        Circuit circuit = GuardSession.circuitOf(fixture.ledger, GuardFixture.ENV);
        if (cause.isDeliberate()) {
            assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.ABORTED);
            assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
            assertThat(state.result()).isEqualTo("ABORTED");
            assertThat(point.verdict()).contains(cause.describe(), "asked by the test", "the circuit is unchanged");
            assertThat(circuit.isOpen()).as("circuit unchanged").isFalse();
            assertThat(fixture.events).as("nobody is told of a freeze").isEmpty();
        }
        else {
            assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.FROZEN);
            assertThat(point.status()).isEqualTo(PointStatus.INTERRUPTED);
            assertThat(state.result()).isEqualTo("FROZEN");
            assertThat(circuit.isOpen()).isTrue();
            assertThat(circuit.pointId()).isEqualTo(point.id());
            assertThat(circuit.reason()).contains(cause.describe(), "asked by the test");
            assertThat(fixture.ledgerEvents(LedgerEvent.Type.CIRCUIT_OPENED)).hasSize(1);
            assertThat(fixture.events(GuardEvent.Type.FREEZE)).as("told once").singleElement()
                    .satisfies(e -> assertThat(e.text()).contains(cause.describe()));
        }
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).as("lease released").isEmpty();
        assertThat(state.deployStartedAt() != null).as("deploy started").isEqualTo(phase.deployStarted);
        assertThat(fixture.bodiesStarted).as("deploy bodies started").hasValue(phase.bodiesStarted);
        assertThat(fixture.bodiesFinished).hasValue(phase.bodiesFinished);
        if (phase == Phase.BACKUP) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the backup's process is gone").isEmpty();
            assertThat(point.backups()).isEmpty();
            assertThat(fixture.backups.list(GuardFixture.ENV.value())).as("no backup committed").isEmpty();
        }
    }

    /**
     * A stop after the verdict changes nothing of it: the trip goes on (freeze, revert) whatever the thread that
     * carries it out was doing when the stop came; here it is sending the trip's notification.
     */
    @ParameterizedTest(name = "{0} stopped for {1} while the trip is handled")
    @MethodSource("afterTheVerdict")
    void shouldCarryOutTheTripWhenStoppedAfterTheVerdict(final GuardDriver driver, final Interruption cause)
            throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        fixture.shop.breakVersion("2");
        CountDownLatch tripSent = new CountDownLatch(1);
        CountDownLatch stopAsked = new CountDownLatch(1);
        fixture.onEvent = event -> {
            if (event.type() == GuardEvent.Type.TRIP) {
                tripSent.countDown();
                GuardFixture.holdUntil(stopAsked); // the machine's thread is busy here when the stop comes
            }
        };
        GuardDriver.GuardRun run = driver.start(fixture, fixture.policy(), fixture.request("2"), fixture.body());
        assertThat(tripSent.await(GuardFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

        run.interrupt(cause, "asked by the test");
        stopAsked.countDown();
        GuardOutcome outcome = run.outcome();

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.REVERTED, PointStatus.GOOD);
        assertThat(GuardState.of(points.get(1)).phase()).isEqualTo(GuardState.Phase.DONE);
        assertThat(GuardState.of(points.get(1)).result()).isEqualTo("REVERTED");
        assertThat(GuardSession.circuitOf(fixture.ledger, GuardFixture.ENV).isOpen()).isTrue();
        assertThat(fixture.revertBodiesStarted).hasValue(1);
        assertThat(fixture.shop.running()).isEqualTo("1");
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    static Stream<Arguments> afterTheVerdict() {
        return Stream.of(GuardDriver.values()).flatMap(driver -> Stream.of(Interruption.USER, Interruption.AGENT_LOST)
                .map(cause -> Arguments.of(driver, cause)));
    }

    private GuardDriver.GuardRun startIn(final GuardDriver driver, final Phase phase, final Path pidFile) {
        return switch (phase) {
            case LEASE -> {
                assertThat(fixture.ledger.takeLease(GuardFixture.ENV, OTHER_HOLDER, OwnerLiveness.never()).granted())
                        .isTrue();
                yield driver.start(fixture, fixture.policy("concurrent: wait", "lockTimeout: 1m"), fixture.request("1"),
                        fixture.blockingBody());
            }
            case BASELINE -> driver.start(fixture, fixture.policyWithProbe("{interval: 10s, count: 3, baselineSamples: 3}",
                    "\"drop > 20%\""), fixture.request("1"), fixture.body());
            case BACKUP -> driver.start(fixture, fixture.policy(
                    "backups: [{type: command, command: [sh, -c, 'echo $$ > %s; exec sleep 30']}]".formatted(pidFile)),
                    fixture.request("1"), fixture.body());
            case RECORD, DEPLOY_START, DEPLOY -> driver.start(fixture, fixture.policy(), fixture.request("1"),
                    fixture.blockingBody());
            case WATCH -> driver.start(fixture, fixture.policyWithProbe("{interval: 100ms, count: 50}", "\"< 0.9\""),
                    fixture.request("1"), fixture.body());
        };
    }

    /** Waits until the run is in the phase, seen from outside: the timeline, the endpoint, the ledger, a process. */
    private void reach(final Phase phase, final GuardDriver.GuardRun run, final Path pidFile,
                       final GuardFixture.Pause pause) throws InterruptedException {
        switch (phase) {
            case RECORD, DEPLOY_START -> assertThat(pause.reached.await(GuardFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .isTrue();
            case LEASE -> await().until(() -> run.timeline.entries().stream()
                    .anyMatch(e -> e.message().startsWith("waiting up to")));
            case BASELINE -> await().until(() -> fixture.shop.requests() >= 1 && fixture.points().size() == 1);
            case BACKUP -> await().until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            case DEPLOY -> await().until(() -> fixture.bodiesStarted.get() == 1);
            case WATCH -> await().until(() -> fixture.shop.requests() >= 1
                    && fixture.points().stream().anyMatch(p -> p.status() == PointStatus.WATCHING));
        }
    }
}
