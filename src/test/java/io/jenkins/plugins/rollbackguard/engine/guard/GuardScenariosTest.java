package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The guard's scenarios, each through both drivers of the same machine ({@link GuardDriver}), with a real ledger,
 * backup and artifact stores, a real health endpoint and real deploy bodies. Every expectation is read back from the
 * ledger (statuses, {@link GuardState}, circuit, lease), not only from the outcome.
 */
class GuardScenariosTest {
    @TempDir
    Path dir;

    private GuardFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new GuardFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldKeepAHealthyDeployGood(final GuardDriver driver) throws Exception {
        GuardOutcome outcome = driver.deploy(fixture, fixture.policy(), "1");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.GOOD);
        RollbackPoint point = only(fixture.points());
        assertThat(point.status()).isEqualTo(PointStatus.GOOD);
        assertThat(point.deployedAt()).isNotNull();
        GuardState state = GuardState.of(point);
        assertThat(state.phase()).isEqualTo(GuardState.Phase.DONE);
        assertThat(state.result()).isEqualTo("GOOD");
        assertThat(state.deployStartedAt()).isNotNull();
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).as("lease released").isEmpty();
        assertThat(fixture.ledger.circuit(GuardFixture.ENV).isOpen()).isFalse();
        assertThat(fixture.bodiesFinished).hasValue(1);
        assertThat(fixture.shop.running()).isEqualTo("1");
        assertThat(fixture.shop.requests()).as("the watch sampled the health endpoint").isGreaterThanOrEqualTo(3);
        assertThat(fixture.events).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldRevertABadDeployToTheLastGoodPoint(final GuardDriver driver) throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = driver.deploy(fixture, fixture.policy(), "2");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.REVERTED, PointStatus.GOOD);
        RollbackPoint bad = points.get(1);
        RollbackPoint revert = points.get(2);
        assertThat(revert.revertOf()).isEqualTo(bad.id());
        assertThat(revert.artifacts()).isEqualTo(points.get(0).artifacts());
        assertThat(revert.attributes()).containsEntry(RollbackPlanner.TRIGGER, RollbackPlanner.AUTO);
        GuardState badState = GuardState.of(bad);
        assertThat(badState.result()).isEqualTo("REVERTED");
        assertThat(badState.revert()).isEqualTo("started:%d:GOOD".formatted(points.get(0).id()));
        assertThat(badState.notices()).containsKeys("TRIP", "FREEZE", "REVERT_STARTED", "REVERT_RESULT")
                .allSatisfy((type, entry) -> assertThat(entry).isEqualTo(GuardState.SENT));
        assertThat(GuardState.of(revert).result()).isEqualTo("GOOD");
        Circuit circuit = fixture.ledger.circuit(GuardFixture.ENV);
        assertThat(circuit.isOpen()).isTrue();
        assertThat(circuit.pointId()).isEqualTo(bad.id());
        assertThat(circuit.reason()).contains("health");
        assertThat(fixture.revertBodiesStarted).as("the revert's deploy body ran once").hasValue(1);
        assertThat(fixture.forbiddenReverts).hasValue(0);
        assertThat(fixture.shop.running()).isEqualTo("1");
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
        assertThat(outcome.revert().result()).isEqualTo(GuardOutcome.Result.GOOD);
        // the revert line and the REVERT_RESULT webhook give the ledger's figures, not figures of their own
        Incident incident = fixture.ledger.incident(GuardFixture.ENV, bad.id()).orElseThrow();
        assertThat(incident.restoredBy()).isEqualTo(revert.id());
        assertThat(incident.duration()).isPresent();
        assertThat(outcome.explanation()).endsWith("; " + incident.describe());
        assertThat(fixture.events(GuardEvent.Type.REVERT_RESULT)).singleElement().satisfies(event -> {
            assertThat(event.incident()).isEqualTo(incident.report(GuardFixture.ENV));
            assertThat(event.text()).contains(incident.describe());
        });
        assertThat(fixture.events(GuardEvent.Type.TRIP)).singleElement().satisfies(event -> {
            assertThat(event.incident().timeToDetectMs()).isEqualTo(incident.timeToDetect().orElseThrow().toMillis());
            assertThat(event.incident().open()).as("not restored when it tripped").isTrue();
        });
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldJudgeTheRevertAgainstTheBaselineOfTheDeployItReverts(final GuardDriver driver) throws Exception {
        Policy relative = fixture.policyWithProbe("{interval: 100ms, count: 3, baselineSamples: 2}", "\"drop > 20%\"");
        driver.deploy(fixture, relative, "1");
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = driver.deploy(fixture, relative, "2");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.REVERTED, PointStatus.GOOD);
        assertThat(points.get(1).attributes()).containsEntry(GuardSession.BASELINE + "health", "0.99");
        assertThat(points.get(2).attributes()).as("the revert keeps the baseline it reused, for its own watch")
                .containsEntry(GuardSession.BASELINE + "health", "0.99");
        assertThat(points.get(2).verdict()).doesNotContain("no baseline");
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldRevertAPaymentSuccessDropFoundByTheSequentialJudge(final GuardDriver driver) throws Exception {
        Policy judged = new PolicyReader().parse("judged.yaml", """
                environment: %s
                probes:
                  - type: http
                    name: payments
                    url: %s/health
                    analysis:
                      judge: sequential
                      effect: drop > 20%%
                      events: /ok
                      trials: /all
                      counters: true
                      interval: 100ms
                      count: 10
                      baselineSamples: 3
                """.formatted(GuardFixture.ENV, fixture.shop.url()));
        assertThat(driver.deploy(fixture, judged, "1").result()).as(fixture.describe()).isEqualTo(
                GuardOutcome.Result.GOOD);
        fixture.shop.degradeVersion("2");

        GuardOutcome outcome = driver.deploy(fixture, judged, "2");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.REVERTED, PointStatus.GOOD);
        assertThat(points.get(0).attributes().get(GuardSession.MEASUREMENT + "payments"))
                .as("the counter readings of a 100 ms watch are kept folded, and counted each").startsWith("PASSED")
                .endsWith("(10 samples)");
        String watched = points.get(0).attributes().get(GuardState.WATCH);
        String kept = watched.substring(watched.indexOf("\"measurements\""));
        assertThat(kept.split("\"at\"", -1).length - 1).as("entries kept of the 10 readings (the first, 8 folded, "
                + "the last): %s", kept).isEqualTo(3);
        RollbackPoint bad = points.get(1);
        assertThat(bad.attributes().get(GuardSession.BASELINE_SAMPLED + "payments")).as("the counts kept")
                .contains(" SUCCESS ").contains("/");
        VerdictExplanationAssert.judged(bad.explanation());
        // the revert reuses the bad deploy's baseline with its samples: its judge has the baseline's traffic (without
        // them it would be inconclusive: no baseline traffic), and the revert's point keeps them for its own watch
        assertThat(points.get(2).attributes().get(GuardSession.BASELINE_SAMPLED + "payments"))
                .isEqualTo(bad.attributes().get(GuardSession.BASELINE_SAMPLED + "payments"));
    }

    /** What the explanation of a sequential verdict says. */
    private static final class VerdictExplanationAssert {
        static void judged(final io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation why) {
            assertThat(why.judge()).isEqualTo("sequential");
            assertThat(why.alpha()).isEqualTo(0.01);
            assertThat(why.beta()).isEqualTo(0.1);
            assertThat(why.sampleSize()).isEqualTo(100L);
            assertThat(why.rule()).contains("30 failures in 100 trials", "reached the trip bound");
        }
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldFreezeWithoutASecondRevertWhenTheRevertFailsToo(final GuardDriver driver) throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        fixture.shop.breakVersion("1"); // what ran well before fails now: the revert's health fails too
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = driver.deploy(fixture, fixture.policy(), "2");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERT_FAILED);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).as("no second revert").hasSize(3).extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.BAD, PointStatus.BAD);
        RollbackPoint bad = points.get(1);
        RollbackPoint revert = points.get(2);
        assertThat(revert.revertOf()).isEqualTo(bad.id());
        assertThat(GuardState.of(bad).result()).isEqualTo("REVERT_FAILED");
        assertThat(GuardState.of(bad).revert()).isEqualTo("started:%d:REVERT_FAILED".formatted(points.get(0).id()));
        assertThat(GuardState.of(revert).result()).isEqualTo("REVERT_FAILED");
        Circuit circuit = fixture.ledger.circuit(GuardFixture.ENV);
        assertThat(circuit.isOpen()).isTrue();
        assertThat(circuit.pointId()).as("an open circuit keeps its first reason").isEqualTo(bad.id());
        assertThat(revert.verdict()).contains("health");
        assertThat(fixture.events(GuardEvent.Type.FREEZE)).extracting(GuardEvent::pointId)
                .containsExactly(bad.id(), revert.id());
        assertThat(fixture.events(GuardEvent.Type.FREEZE).get(1).text()).contains("the revert", "failed");
        assertThat(fixture.revertBodiesStarted).hasValue(1);
        assertThat(fixture.forbiddenReverts).as("a revert never reverts").hasValue(0);
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldTakeTheTargetOfAFailedRevertOffTheTargetsUntilAPersonMarksItGood(final GuardDriver driver)
            throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        fixture.shop.breakVersion("1");
        fixture.shop.breakVersion("2");
        driver.deploy(fixture, fixture.policy(), "2");
        RollbackPoint target = fixture.points().get(0);

        assertThat(target.status()).as(fixture.describe()).isEqualTo(PointStatus.GOOD);
        assertThat(target.attributes().get(RollbackPoint.REVERT_FAILED)).as(fixture.describe())
                .contains("#3, the revert to it, failed its watch");
        assertThat(fixture.ledger.lastGood(GuardFixture.ENV)).as("not last good until marked").isEmpty();
        RollbackPlanner planner = new RollbackPlanner(fixture.ledger, fixture.artifacts, fixture.scheduler::now);
        assertThat(planner.planManual(fixture.policy(), fixture.points().get(1), 0))
                .isInstanceOfSatisfying(RevertPlan.Manual.class, manual ->
                        assertThat(manual.reason()).contains("no good point"));
        assertThat(planner.planManual(fixture.policy(), fixture.points().get(1), target.id()))
                .isInstanceOfSatisfying(RevertPlan.Manual.class, manual -> assertThat(manual.reason())
                        .contains("a revert to it failed").contains("rollback-guard mark --env shop --point 1 --good"));

        RollbackPoint marked = new Decisions(fixture.ledger, fixture.scheduler::now)
                .mark(GuardFixture.ENV, target.id(), true, "alice", "the database was down, not version 1");

        assertThat(marked.status()).isEqualTo(PointStatus.GOOD);
        assertThat(marked.attributes()).doesNotContainKey(RollbackPoint.REVERT_FAILED);
        assertThat(fixture.ledger.lastGood(GuardFixture.ENV)).get().extracting(RollbackPoint::id).isEqualTo(target.id());
        assertThat(fixture.ledgerEvents(io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent.Type.DECISION))
                .singleElement().satisfies(event -> {
                    assertThat(event.actor()).isEqualTo("alice");
                    assertThat(event.reason()).contains("the database was down");
                    assertThat(event.pointId()).isEqualTo(target.id());
                });
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldAskAPersonInsteadOfRevertingAgainWithinTheCooldown(final GuardDriver driver) throws Exception {
        Policy policy = fixture.policy("cooldown: 1h");
        driver.deploy(fixture, policy, "1");
        fixture.shop.breakVersion("2");
        fixture.shop.breakVersion("3");
        assertThat(driver.deploy(fixture, policy, "2").result()).isEqualTo(GuardOutcome.Result.REVERTED);
        fixture.ledger.resetCircuit(GuardFixture.ENV, "checked after the revert", "tester");

        GuardOutcome outcome = driver.deploy(fixture, policy, "3");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.FROZEN);
        assertThat(outcome.explanation()).contains("throttled", "cooldown 3600s");
        List<RollbackPoint> points = fixture.points();
        assertThat(points).as("no second automatic revert").extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.REVERTED, PointStatus.GOOD, PointStatus.BAD);
        RollbackPoint third = points.get(3);
        GuardState state = GuardState.of(third);
        assertThat(state.result()).isEqualTo("FROZEN");
        assertThat(state.revert()).isNull();
        assertThat(state.notices()).containsKey("MANUAL_DECISION");
        assertThat(fixture.events(GuardEvent.Type.MANUAL_DECISION)).singleElement()
                .satisfies(e -> assertThat(e.text()).contains("throttled"));
        Circuit circuit = fixture.ledger.circuit(GuardFixture.ENV);
        assertThat(circuit.isOpen()).isTrue();
        assertThat(circuit.pointId()).isEqualTo(third.id());
        assertThat(fixture.revertBodiesStarted).hasValue(1);
        assertThat(fixture.shop.running()).as("nothing reverted the third deploy").isEqualTo("3");
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    /** The control of the cooldown test: once the cooldown has passed, the same trip reverts on its own. */
    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldRevertAgainOnceTheCooldownHasPassed(final GuardDriver driver) throws Exception {
        Policy policy = fixture.policy("cooldown: 1s");
        driver.deploy(fixture, policy, "1");
        fixture.shop.breakVersion("2");
        fixture.shop.breakVersion("3");
        assertThat(driver.deploy(fixture, policy, "2").result()).isEqualTo(GuardOutcome.Result.REVERTED);
        fixture.ledger.resetCircuit(GuardFixture.ENV, "checked after the revert", "tester");
        RollbackPoint firstRevert = fixture.points().get(2);
        await().until(() -> Duration.between(firstRevert.createdAt(), java.time.Instant.now()).toMillis() > 1100);

        GuardOutcome outcome = driver.deploy(fixture, policy, "3");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        assertThat(fixture.points()).extracting(RollbackPoint::status).containsExactly(PointStatus.GOOD,
                PointStatus.REVERTED, PointStatus.GOOD, PointStatus.REVERTED, PointStatus.GOOD);
        assertThat(fixture.revertBodiesStarted).hasValue(2);
        assertThat(fixture.shop.running()).isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldFreezeForAPersonAcrossADataVersionChange(final GuardDriver driver) throws Exception {
        driver.deploy(fixture, fixture.policy("dataVersion: {value: '41'}"), "1");
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = driver.deploy(fixture, fixture.policy("dataVersion: {value: '42'}",
                "allowDataRestore: false"), "2");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.FROZEN);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).as("nothing reverted").extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.BAD);
        assertThat(points).extracting(RollbackPoint::dataVersion).containsExactly("41", "42");
        RollbackPoint bad = points.get(1);
        assertThat(GuardState.of(bad).result()).isEqualTo("FROZEN");
        assertThat(GuardState.of(bad).revert()).isNull();
        assertThat(GuardState.of(bad).notices()).containsKey("MANUAL_DECISION");
        assertThat(fixture.events(GuardEvent.Type.MANUAL_DECISION)).singleElement().satisfies(e -> assertThat(e.text())
                .contains("data version changed from 41 (#1) to 42 (#2)", "no verified database backup"));
        assertThat(fixture.events(GuardEvent.Type.REVERT_STARTED)).isEmpty();
        assertThat(fixture.ledger.circuit(GuardFixture.ENV).isOpen()).isTrue();
        assertThat(fixture.revertBodiesStarted).hasValue(0);
        assertThat(fixture.shop.running()).isEqualTo("2");
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldNotDeployWhenABackupFailsAndThePolicyStops(final GuardDriver driver) throws Exception {
        // a backup that fails as it runs (one that cannot run at all is refused by preflight: PreflightMachineTest)
        Policy policy = fixture.policy("backups: [{type: command, command: [/bin/sh, -c, 'exit 3', '{output}']}]",
                "onBackupFailure: stop");

        GuardOutcome outcome = driver.deploy(fixture, policy, "1");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.ABORTED);
        RollbackPoint point = only(fixture.points());
        assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
        assertThat(point.verdict()).contains("backup", "failed", "the deploy did not run (onBackupFailure: stop)");
        assertThat(point.backups()).isEmpty();
        assertThat(point.deployedAt()).isNull();
        GuardState state = GuardState.of(point);
        assertThat(state.result()).isEqualTo("ABORTED");
        assertThat(state.deployStartedAt()).as("the deploy was never started").isNull();
        assertThat(state.backups()).containsOnlyKeys("point-1.1");
        assertThat(fixture.bodiesStarted).as("the deploy body never ran").hasValue(0);
        assertThat(fixture.ledgerEvents(io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent.Type.STATUS_CHANGED))
                .extracting(e -> e.to()).containsExactly(PointStatus.ABORTED);
        assertThat(fixture.ledger.circuit(GuardFixture.ENV).isOpen()).isFalse();
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldRefuseASecondDeployWhileOneRuns(final GuardDriver driver) throws Exception {
        Policy policy = fixture.policy("concurrent: refuse");
        CountDownLatch gate = new CountDownLatch(1);
        GuardDriver.GuardRun first = driver.start(fixture, fixture.services(), policy, fixture.request("1"),
                fixture.body(point -> gate.await(GuardFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS)));
        await().until(() -> fixture.bodiesStarted.get() == 1);

        GuardDriver.GuardRun second = driver.start(fixture, fixture.services(GuardFixture.otherOwner(2)), policy,
                fixture.request("2"), fixture.body());
        Throwable refused = second.failure();
        gate.countDown();

        assertThat(refused).isInstanceOf(GuardRefusedException.class)
                .hasMessageContaining("environment 'shop' is busy")
                .hasMessageContaining("held by " + fixture.services().leases().self())
                .hasMessageContaining("set concurrent: wait");
        assertThat(first.outcome().result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.GOOD);
        assertThat(fixture.points()).as("the refused deploy recorded no point").singleElement()
                .satisfies(p -> assertThat(p.parameters()).containsEntry("version", "1"));
        assertThat(fixture.bodiesStarted).hasValue(1);
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldRunTwoDeploysOneAfterTheOtherWhenTheyWait(final GuardDriver driver) throws Exception {
        Policy policy = fixture.policy("concurrent: wait", "lockTimeout: 30s");
        GuardFixture.Body slow = fixture.body(point -> Thread.sleep(300));

        GuardDriver.GuardRun first = driver.start(fixture, fixture.services(GuardFixture.otherOwner(1)), policy,
                fixture.request("1"), slow);
        GuardDriver.GuardRun second = driver.start(fixture, fixture.services(GuardFixture.otherOwner(2)), policy,
                fixture.request("2"), slow);

        assertThat(first.outcome().result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.GOOD);
        assertThat(second.outcome().result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.GOOD);
        List<long[]> runs = fixture.bodyIntervals.stream().sorted(java.util.Comparator.comparingLong(r -> r[0])).toList();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1)[0]).as("the second body started after the first ended").isGreaterThan(runs.get(0)[1]);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).extracting(RollbackPoint::status).containsExactly(PointStatus.GOOD, PointStatus.GOOD);
        assertThat(points.get(1).createdAt()).as("the second was recorded once the first was decided")
                .isAfterOrEqualTo(points.get(0).decidedAt());
        assertThat(first.timeline.entries().stream().anyMatch(e -> e.message().startsWith("waiting up to"))
                || second.timeline.entries().stream().anyMatch(e -> e.message().startsWith("waiting up to")))
                .as("one of them waited for the lease").isTrue();
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldAbortWithoutATripWhenAPersonStopsTheDeploy(final GuardDriver driver) throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        Circuit before = fixture.ledger.circuit(GuardFixture.ENV);
        GuardDriver.GuardRun run = driver.start(fixture, fixture.policy(), fixture.request("2"), fixture.blockingBody());
        await().until(() -> fixture.bodiesStarted.get() == 2);

        run.interrupt(Interruption.USER, "stopped by jane");
        GuardOutcome outcome = run.outcome();

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.ABORTED);
        List<RollbackPoint> points = fixture.points();
        assertThat(points).as("nothing reverted").extracting(RollbackPoint::status)
                .containsExactly(PointStatus.GOOD, PointStatus.ABORTED);
        GuardState state = GuardState.of(points.get(1));
        assertThat(state.interruption()).isEqualTo(Interruption.USER);
        assertThat(state.result()).isEqualTo("ABORTED");
        assertThat(points.get(1).verdict()).contains("stopped by a person", "stopped by jane");
        assertThat(fixture.ledger.circuit(GuardFixture.ENV)).as("circuit unchanged").isEqualTo(before);
        assertThat(fixture.events).as("no trip, no freeze").isEmpty();
        assertThat(fixture.bodiesFinished).hasValue(1);
        assertThat(fixture.revertBodiesStarted).hasValue(0);
        assertThat(fixture.ledger.lease(GuardFixture.ENV)).isEmpty();
    }

    private RollbackPoint only(final List<RollbackPoint> points) {
        assertThat(points).as(fixture.describe()).hasSize(1);
        return points.get(0);
    }
}
