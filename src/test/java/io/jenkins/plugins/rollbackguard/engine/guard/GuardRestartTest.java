package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Effect;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Flavour;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Run;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Scenario;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Side;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Snapshot;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Restarts of the guard machine's host at every one of its ledger writes. A host is a ledger instance, pools, a
 * session and a machine of its own ({@link RestartWorld}); it crashes by an error thrown from the ledger's write hook
 * just before the N-th write reaches the disk or just after it is durable, and writes nothing after. A new host opens
 * the same directory and resumes the point. Each side effect is then checked against the ledger and the counters the
 * test keeps: backups, deploy commands, reverts and notifications happen as often as the machine promises, and the
 * point always ends decided, with its lease free.
 */
@Tag("slow")
class GuardRestartTest {
    private static HealthServer app;

    @TempDir
    private Path root;

    private int worlds;

    @BeforeAll
    static void startApp() throws IOException {
        app = new HealthServer();
    }

    @AfterAll
    static void stopApp() {
        app.close();
    }

    @TestFactory
    Stream<DynamicNode> shouldResumeAGoodDeployWithABackupAfterACrashAtEveryWrite() {
        return Stream.of(Flavour.values()).map(flavour -> crashes(Scenario.GOOD, flavour));
    }

    @TestFactory
    Stream<DynamicNode> shouldResumeABadDeployAndItsRevertAfterACrashAtEveryWrite() {
        return Stream.of(Flavour.values()).map(flavour -> crashes(Scenario.BAD, flavour));
    }

    /** Runs the scenario once to count its writes, then crashes it before and after each of them. */
    private DynamicNode crashes(final Scenario scenario, final Flavour flavour) {
        Run counted = world(scenario, flavour).run(0, Side.BEFORE);
        check(counted);
        List<String> writes = counted.writes();
        System.out.printf("%s deploy on a %s host: %d writes%n", scenario, flavour, writes.size());
        for (int n = 0; n < writes.size(); n++) {
            System.out.printf("  %2d %s%n", n + 1, writes.get(n));
        }
        return dynamicContainer("%s deploy, %s host, %d writes".formatted(scenario, flavour, writes.size()),
                IntStream.rangeClosed(1, writes.size()).boxed().flatMap(n -> Stream.of(Side.values())
                        .map(side -> dynamicTest("crash %s write %d: %s".formatted(side, n, writes.get(n - 1)),
                                () -> check(world(scenario, flavour).run(n, side))))));
    }

    private RestartWorld world(final Scenario scenario, final Flavour flavour) {
        return new RestartWorld(root.resolve("world-" + ++worlds), scenario, flavour, app);
    }

    /** Every promise of the machine about its side effects, for one crash and resume. */
    private static void check(final Run run) {
        Snapshot before = run.beforeResume();
        Snapshot after = run.end();
        RollbackPoint point = after.deployPoint().orElseThrow(() -> new AssertionError("no deploy point was recorded"));
        GuardState state = GuardState.of(point);
        String why = run.describe();

        // the end: decided, the machine done, the lease free
        assertThat(point.status().isInFlight()).as("%s: status %s", why, point.status()).isFalse();
        assertThat(state.phase()).as(why).isEqualTo(GuardState.Phase.DONE);
        assertThat(state.result()).as(why).isEqualTo(run.outcome().result().name());
        assertThat(after.lease()).as("%s: the lease is released", why).isEmpty();
        after.revertPoint().ifPresent(revert -> {
            assertThat(revert.status().isInFlight()).as("%s: the revert point is %s", why, revert.status()).isFalse();
            GuardState revertState = GuardState.of(revert);
            assertThat(revertState.phase()).as("%s: the revert's machine", why).isEqualTo(GuardState.Phase.DONE);
        });

        GuardState stateBefore = before.deployPoint().map(GuardState::of).orElse(null);
        boolean deployInDoubt = run.flavour() == Flavour.CLI && stateBefore != null
                && stateBefore.phase() == GuardState.Phase.DEPLOYING;
        checkDeploy(run, point, deployInDoubt, why);
        if (run.scenario() == Scenario.GOOD) {
            checkBackup(run, before, point, state, why);
            assertThat(run.outcome().result()).as(why)
                    .isEqualTo(deployInDoubt ? GuardOutcome.Result.FROZEN : GuardOutcome.Result.GOOD);
        }
        else if (!deployInDoubt) {
            checkRevert(run, before, after, point, state, why);
        }
        checkNotices(run, before, point, state, deployInDoubt, why);
    }

    private static void checkDeploy(final Run run, final RollbackPoint point, final boolean inDoubt, final String why) {
        int started = run.count(Effect.Kind.DEPLOY, Long.toString(point.id()));
        assertThat(started).as("%s: deploy commands started", why).isLessThanOrEqualTo(1);
        if (inDoubt) {
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.FROZEN);
            assertThat(point.status()).as(why).isEqualTo(PointStatus.INTERRUPTED);
            assertThat(run.end().circuit().isOpen()).as(why).isTrue();
            assertThat(run.end().circuit().reason()).as(why).contains(point.label())
                    .contains("cannot know how it ended").contains("reset the circuit");
            assertThat(run.countBy(2, Effect.Kind.DEPLOY, Long.toString(point.id()))).as(why).isZero();
            return;
        }
        if (point.status() != PointStatus.ABORTED) {
            assertThat(started).as("%s: the deploy went on, so it ran once", why).isEqualTo(1);
        }
        if (run.flavour() == Flavour.PIPELINE && run.beforeResume().deployPoint().map(GuardState::of)
                .map(GuardState::phase).orElse(null) == GuardState.Phase.DEPLOYING && run.crashAt() > 0) {
            assertThat(run.awaitedDeploy()).as("%s: the resumed machine waits for the body", why).isTrue();
        }
    }

    private static void checkBackup(final Run run, final Snapshot before, final RollbackPoint point,
                                    final GuardState state, final String why) {
        String key = "point-%d.1".formatted(point.id());
        List<BackupManifest> committed = run.end().backups().stream().filter(m -> key.equals(m.label())).toList();
        assertThat(committed).as("%s: backups committed under %s", why, key).hasSizeLessThanOrEqualTo(1);
        assertThat(run.count(Effect.Kind.BACKUP, key)).as("%s: backups taken", why).isLessThanOrEqualTo(1);
        if (before.backups().stream().anyMatch(m -> key.equals(m.label()))) {
            assertThat(run.countBy(2, Effect.Kind.BACKUP, key)).as("%s: committed before the crash: adopted", why)
                    .isZero();
        }
        if (state.deployStartedAt() != null) {
            assertThat(committed).as("%s: the deploy went on: its backup exists", why).hasSize(1);
            String id = committed.get(0).id();
            assertThat(point.backups()).as(why).singleElement().satisfies(ref -> assertThat(ref.id()).isEqualTo(id));
            assertThat(state.backups()).as(why).containsExactly(Map.entry(key, id));
            assertThat(run.count(Effect.Kind.BACKUP, key)).as(why).isEqualTo(1);
        }
    }

    private static void checkRevert(final Run run, final Snapshot before, final Snapshot after, final RollbackPoint bad,
                                    final GuardState state, final String why) {
        String badId = Long.toString(bad.id());
        assertThat(run.count(Effect.Kind.REVERT, badId)).as("%s: reverts started", why).isLessThanOrEqualTo(1);
        assertThat(after.revertPoints()).as("%s: revert points", why).hasSizeLessThanOrEqualTo(1);
        after.revertPoint().ifPresent(revert -> assertThat(run.count(Effect.Kind.DEPLOY, Long.toString(revert.id())))
                .as("%s: deploys of the revert", why).isLessThanOrEqualTo(1));
        String revertBefore = before.deployPoint().map(GuardState::of).map(GuardState::revert).orElse(null);
        boolean startedWithoutResult = revertBefore != null && revertBefore.matches("started:\\d+");
        boolean revertDecidedBefore = before.revertPoint().filter(p -> !p.status().isInFlight()
                && p.status() != PointStatus.INTERRUPTED).isPresent();
        boolean revertKnown = run.flavour() == Flavour.CLI ? revertDecidedBefore
                : run.countBy(1, Effect.Kind.REVERT, badId) > 0;
        if (startedWithoutResult && !revertKnown) {
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.REVERT_FAILED);
            assertThat(state.revert()).as(why).isEqualTo("in doubt");
            assertThat(after.circuit().isOpen()).as(why).isTrue();
            assertThat(after.notes(bad.id())).as("%s: a note says the revert is in doubt", why)
                    .anySatisfy(note -> assertThat(note).contains("its end is not known").contains("stays frozen"));
            assertThat(run.countBy(2, Effect.Kind.REVERT, badId)).as("%s: an in-doubt revert is not started again", why)
                    .isZero();
            return;
        }
        assertThat(run.count(Effect.Kind.REVERT, badId)).as("%s: the revert ran once", why).isEqualTo(1);
        if (run.flavour() == Flavour.CLI) {
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.REVERTED);
            assertThat(bad.status()).as(why).isEqualTo(PointStatus.REVERTED);
            RollbackPoint revert = after.revertPoint().orElseThrow();
            assertThat(revert.status()).as(why).isEqualTo(PointStatus.GOOD);
            assertThat(run.count(Effect.Kind.DEPLOY, Long.toString(revert.id()))).as(why).isEqualTo(1);
            assertThat(state.revert()).as(why).isEqualTo("started:1:GOOD");
        }
        else {
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.REVERTING);
            assertThat(bad.status()).as(why).isEqualTo(PointStatus.BAD);
            assertThat(state.revert()).as(why).isEqualTo("started:1:REVERTING");
        }
        assertThat(after.circuit().isOpen()).as("%s: the environment stays frozen after a trip", why).isTrue();
    }

    private static void checkNotices(final Run run, final Snapshot before, final RollbackPoint point,
                                     final GuardState state, final boolean deployInDoubt, final String why) {
        List<GuardEvent.Type> expected = new ArrayList<>();
        if (deployInDoubt) {
            expected.add(GuardEvent.Type.FREEZE);
        }
        else if (run.scenario() == Scenario.BAD) {
            expected.addAll(List.of(GuardEvent.Type.TRIP, GuardEvent.Type.FREEZE, GuardEvent.Type.REVERT_STARTED));
            if (run.outcome().result() != GuardOutcome.Result.REVERTING) {
                expected.add(GuardEvent.Type.REVERT_RESULT); // the revert's end, or that it is not known
            }
        }
        GuardState stateBefore = before.deployPoint().map(GuardState::of).orElse(null);
        for (GuardEvent.Type type : GuardEvent.Type.values()) {
            String key = type + "#" + point.id();
            int delivered = run.count(Effect.Kind.NOTICE, key);
            if (!expected.contains(type)) {
                assertThat(delivered).as("%s: %s delivered", why, type).isZero();
                continue;
            }
            assertThat(delivered).as("%s: %s delivered at least once", why, type).isGreaterThanOrEqualTo(1);
            assertThat(run.countBy(1, Effect.Kind.NOTICE, key)).as(why).isLessThanOrEqualTo(1);
            assertThat(run.countBy(2, Effect.Kind.NOTICE, key)).as(why).isLessThanOrEqualTo(1);
            if (stateBefore != null && GuardState.SENT.equals(stateBefore.notices().get(type.name()))) {
                assertThat(run.countBy(2, Effect.Kind.NOTICE, key)).as("%s: %s was sent before the crash", why, type)
                        .isZero();
            }
            if (!deployInDoubt) {
                assertThat(state.notices()).as(why).containsEntry(type.name(), GuardState.SENT);
            }
        }
    }
}
