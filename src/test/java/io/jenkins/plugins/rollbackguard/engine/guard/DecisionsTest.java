package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;

/**
 * Tests the class {@link Decisions}: what the command line and the Jenkins job page decide through it (marks, the
 * data-version override, the resume of an interrupted watch), each recorded as who and why; the nonsense each
 * refuses with one sentence and nothing recorded; and the rules that follow (a deploy refused while a point waits).
 * This is the engine twin of the job page's decision ITest.
 */
class DecisionsTest {
    private static final EnvironmentName ENV = GuardFixture.ENV;

    @TempDir
    private Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T03:00:00Z"));
    private Ledger ledger;
    private FileArtifactStore artifacts;
    private Decisions decisions;

    @BeforeEach
    void createLedger() {
        ledger = Ledger.open(dir.resolve("ledger"), Ledger.Options.defaults().withClock(now::get));
        artifacts = new FileArtifactStore(dir.resolve("artifacts"));
        decisions = new Decisions(ledger, now::get);
    }

    private RollbackPoint point(final String version, final PointStatus end, final String dataVersion,
                                final BackupRef... backups) throws Exception {
        ArtifactRef artifact = artifacts.put(Files.writeString(dir.resolve("shop-" + version + ".jar"), version));
        RollbackPoint.Builder draft = RollbackPoint.builder(ENV, PointSource.cli(version)).artifact(artifact)
                .dataVersion(dataVersion);
        for (BackupRef backup : backups) {
            draft.backup(backup);
        }
        RollbackPoint point = ledger.record(draft, "test", version);
        ledger.transition(ENV, point.id(), PointStatus.WATCHING, "test", "");
        return end == PointStatus.WATCHING ? ledger.point(ENV, point.id())
                : ledger.transition(ENV, point.id(), end, "test", "");
    }

    private List<LedgerEvent> decisionEvents() {
        return ledger.auditTrail(ENV).stream().filter(e -> e.type() == LedgerEvent.Type.DECISION).toList();
    }

    @Test
    void shouldMarkAnInconclusivePointGoodAndRecordWhoAndWhy() throws Exception {
        point("1.0", PointStatus.GOOD, null);
        RollbackPoint unsure = point("1.1", PointStatus.INCONCLUSIVE, null);
        now.set(now.get().plusSeconds(60));

        RollbackPoint marked = decisions.mark(ENV, unsure.id(), true, "alice", "checked the orders by hand");

        assertThat(marked.status()).isEqualTo(PointStatus.GOOD);
        assertThat(marked.verdict()).isEqualTo("marked good by alice: checked the orders by hand");
        assertThat(marked.decidedAt()).isEqualTo(now.get());
        assertThat(ledger.lastGood(ENV)).get().extracting(RollbackPoint::id).isEqualTo(unsure.id());
        assertThat(decisionEvents()).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo("alice");
            assertThat(event.at()).isEqualTo(now.get());
            assertThat(event.reason()).contains("checked the orders by hand");
            assertThat(event.from()).isEqualTo(PointStatus.INCONCLUSIVE);
            assertThat(event.to()).isEqualTo(PointStatus.GOOD);
        });
        Ledger reopened = Ledger.open(dir.resolve("ledger"));
        assertThat(reopened.point(ENV, unsure.id()).status()).as("read back after a reopen").isEqualTo(PointStatus.GOOD);
        assertThat(reopened.events(ENV, 1).get(0).type()).isEqualTo(LedgerEvent.Type.DECISION);
        assertThat(Files.readString(dir.resolve("ledger/shop/journal-0.jsonl")).lines()
                .filter(line -> line.contains("\"DECISION\"")))
                .as("a decision is written in format 4, so that an older reader refuses it").singleElement()
                .satisfies(line -> assertThat(line).startsWith("{\"v\":4,"));
    }

    @Test
    void shouldMarkAnInterruptedPointBadSoThatItIsNeverReturnedToNorResumed() throws Exception {
        point("1.0", PointStatus.GOOD, null);
        RollbackPoint cut = interruptedWhileWatching("1.1");

        RollbackPoint marked = decisions.mark(ENV, cut.id(), false, "bob", "customers saw errors");

        assertThat(marked.status()).isEqualTo(PointStatus.BAD);
        assertThat(GuardState.of(marked).phase()).as("its machine ends: resume must not go on with it")
                .isEqualTo(GuardState.Phase.DONE);
        assertThat(decisions.interrupted(ENV)).isEmpty();
        assertThat(ledger.lastGood(ENV)).get().extracting(RollbackPoint::id).isEqualTo(1L);
        assertThat(ledger.dora(ENV).failures()).as("a point marked bad is a failed change").isEqualTo(1);
    }

    @Test
    void shouldRefuseNonsenseWithOneSentenceAndRecordNothing() throws Exception {
        RollbackPoint good = point("1.0", PointStatus.GOOD, null);
        RollbackPoint bad = point("2.0", PointStatus.BAD, null);
        RollbackPoint watching = point("2.1", PointStatus.WATCHING, null);
        long events = ledger.auditTrail(ENV).size();

        assertThatThrownBy(() -> decisions.mark(ENV, watching.id(), true, "alice", "looks fine"))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("is still WATCHING")
                .hasMessageContaining("wait for its verdict");
        assertThatThrownBy(() -> decisions.mark(ENV, good.id(), true, "alice", "sure"))
                .isInstanceOf(GuardRefusedException.class).hasMessage("shop#1 (cli 1.0) is already GOOD: there is nothing to mark");
        assertThatThrownBy(() -> decisions.mark(ENV, bad.id(), true, "alice", "sure"))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("is BAD: only an INCONCLUSIVE or INTERRUPTED");
        assertThatThrownBy(() -> decisions.mark(ENV, bad.id(), false, "alice", "sure"))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("already BAD");
        assertThatThrownBy(() -> decisions.mark(ENV, good.id(), false, "alice", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason: a reason is required");
        assertThatThrownBy(() -> decisions.resume(ENV, "alice", "go on"))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("has no interrupted deploy to resume");
        assertThat(ledger.auditTrail(ENV)).as("nothing recorded").hasSize((int) events);
    }

    @Test
    void shouldRecordTheResumeOfAnInterruptedWatch() throws Exception {
        point("1.0", PointStatus.GOOD, null);
        RollbackPoint cut = interruptedWhileWatching("1.1");

        assertThat(decisions.interrupted(ENV)).get().extracting(RollbackPoint::id).isEqualTo(cut.id());
        RollbackPoint resumed = decisions.resume(ENV, "carol", "the host rebooted");

        assertThat(resumed.status()).as("the machine moves it, not the decision").isEqualTo(PointStatus.INTERRUPTED);
        assertThat(decisionEvents()).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo("carol");
            assertThat(event.reason()).contains("resume the watch of shop#2").contains("the host rebooted");
        });
    }

    @Test
    void shouldRefuseADeployWhileAPointWaitsForADecisionUnlessForced() throws Exception {
        try (GuardFixture fixture = new GuardFixture(dir.resolve("guard"))) {
            fixture.shop.install("1");
            RollbackPoint adopted = fixture.ledger.record(RollbackPoint.builder(ENV, PointSource.cli("adopt"))
                    .artifacts(fixture.request("1").artifacts()).adopted(), "alice", "runs");
            RollbackPoint cut = interruptedWhileWatching(fixture.ledger, fixture.request("2"), Instant.now().plusSeconds(60));
            GuardSession session = new GuardSession(fixture.services(), fixture.policy(),
                    new Timeline(fixture.scheduler::now, GuardListener.silent()));

            assertThatThrownBy(() -> session.run(fixture.request("3"), point -> null, plan -> null, false))
                    .isInstanceOf(GuardRefusedException.class)
                    .hasMessageContaining("environment 'shop' waits for a decision: shop#2 (cli deploy-2) was INTERRUPTED while watching")
                    .hasMessageContaining("rollback-guard resume --env shop")
                    .hasMessageContaining("rollback-guard mark --env shop --point 2")
                    .hasMessageContaining("--force");
            assertThat(fixture.ledger.size(ENV)).as("nothing recorded").isEqualTo(2);

            DeployRequest plain = fixture.request("3");
            DeployRequest forced = new DeployRequest(plain.source(), plain.artifacts(), null, plain.parameters(), "dave",
                    "the hotfix must go out", 0, "manual", null, Map.of());
            GuardOutcome outcome = session.run(forced, point -> {
                fixture.shop.install("3");
                return null;
            }, plan -> null, false);

            assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(fixture.ledger.point(ENV, cut.id()).status()).isEqualTo(PointStatus.INTERRUPTED);
            assertThat(fixture.ledger.auditTrail(ENV)).anySatisfy(event -> {
                assertThat(event.type()).isEqualTo(LedgerEvent.Type.NOTE);
                assertThat(event.actor()).isEqualTo("dave");
                assertThat(event.reason()).contains("deploy forced past shop#2").contains("the hotfix must go out");
            });
            assertThat(adopted.id()).isEqualTo(1);
        }
    }

    @Test
    void shouldResumeAWatchWhoseWindowIsPastWithOneFreshSetOfSamplesAndActOnItsTrip() throws Exception {
        try (GuardFixture fixture = new GuardFixture(dir.resolve("guard"))) {
            fixture.shop.install("1");
            fixture.ledger.record(RollbackPoint.builder(ENV, PointSource.cli("adopt"))
                    .artifacts(fixture.request("1").artifacts()).adopted(), "alice", "runs");
            Instant past = Instant.now().minus(Duration.ofMinutes(30));
            RollbackPoint cut = interruptedWhileWatching(fixture.ledger, fixture.request("2"), past);
            fixture.shop.install("2");
            fixture.shop.breakVersion("2");
            new Decisions(fixture.ledger, Instant::now).resume(ENV, "erin", "the CLI was killed");
            AtomicInteger deploys = new AtomicInteger();
            AtomicReference<RevertPlan.Revert> reverted = new AtomicReference<>();

            GuardOutcome outcome = new GuardSession(fixture.services(), fixture.policy(),
                    new Timeline(fixture.scheduler::now, GuardListener.silent())).resume(ENV, cut.id(), point -> {
                        deploys.incrementAndGet();
                        return null;
                    }, plan -> {
                        reverted.set(plan);
                        return new GuardOutcome(GuardOutcome.Result.REVERTING, plan.leaving(), "started", null,
                                List.of(), null);
                    }, false);

            assertThat(deploys).as("a watched deploy is not deployed again").hasValue(0);
            RollbackPoint judged = fixture.ledger.point(ENV, cut.id());
            assertThat(judged.status()).as(fixture.describe()).isEqualTo(PointStatus.BAD);
            assertThat(outcome.watch().verdicts()).singleElement().satisfies(verdict ->
                    assertThat(verdict.measurements()).as("fresh samples only").isNotEmpty().hasSizeLessThanOrEqualTo(3));
            assertThat(GuardState.of(judged).watchDeadline()).as("a new window").isAfter(past.plus(Duration.ofMinutes(29)));
            assertThat(fixture.ledger.auditTrail(ENV)).anySatisfy(event ->
                    assertThat(event.reason()).contains("its samples are stale, so it takes one fresh set of samples"));
            assertThat(reverted.get()).as("the trip reverts").isNotNull();
            assertThat(reverted.get().target().id()).isEqualTo(1);
            assertThat(fixture.ledger.circuit(ENV).isOpen()).isTrue();
            assertThat(fixture.ledger.lease(ENV)).as("released").isEmpty();
        }
    }

    @Test
    void shouldAllowARollbackAcrossADataVersionChangeOnlyAsDecided() throws Exception {
        BackupRef verified = new BackupRef("b-1", "postgres", "a".repeat(64), 10, Instant.parse("2026-12-01T01:00:00Z"),
                Instant.parse("2026-12-01T01:00:05Z"));
        RollbackPoint v1 = point("1.0", PointStatus.GOOD, "V1", verified);
        RollbackPoint v1bare = point("1.1", PointStatus.GOOD, "V1");
        RollbackPoint v2 = point("2.0", PointStatus.BAD, "V2");
        RollbackPlanner planner = new RollbackPlanner(ledger, artifacts, now::get);
        Policy policy = new PolicyReader().parse("test", "environment: shop\n");

        assertThat(planner.planManual(policy, v2, v1bare.id())).as("refused without a decision")
                .isInstanceOfSatisfying(RevertPlan.Manual.class, manual -> assertThat(manual.reason())
                        .contains("data version changed").contains("--across-data-version"));
        assertThatThrownBy(() -> decisions.allowAcrossDataVersion(ENV, v2.id(), v1bare.id(), true, "alice", "undo"))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("has no verified backup to restore");
        assertThatThrownBy(() -> decisions.allowAcrossDataVersion(ENV, v1bare.id(), v1.id(), false, "alice", "undo"))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("have the same data version (V1)");
        assertThat(decisionEvents()).isEmpty();

        String keep = decisions.allowAcrossDataVersion(ENV, v2.id(), v1bare.id(), false, "alice", "V2 is additive");
        assertThat(keep).contains("none restored").contains("stays at version V2").contains("expects version V1");
        assertThat(planner.planManual(policy, ledger.point(ENV, v2.id()), v1bare.id()))
                .isInstanceOfSatisfying(RevertPlan.Revert.class, revert -> {
                    assertThat(revert.dataRestore()).isEmpty();
                    assertThat(revert.reason()).contains("allowed by a person").contains("the data is not restored");
                });
        assertThat(planner.planManual(policy, ledger.point(ENV, v2.id()), v1.id())).as("only for the target decided")
                .isInstanceOf(RevertPlan.Manual.class);

        String restore = decisions.allowAcrossDataVersion(ENV, v2.id(), v1.id(), true, "bob", "V2 corrupted orders");
        assertThat(restore).contains("data written since 2026-12-01T01:00:00Z (2h0m ago) until now (2026-12-01T03:00:00Z) is lost");
        assertThat(planner.planManual(policy, ledger.point(ENV, v2.id()), v1.id()))
                .isInstanceOfSatisfying(RevertPlan.Revert.class, revert ->
                        assertThat(revert.dataRestore()).containsExactly(verified));
        assertThat(decisionEvents()).extracting(LedgerEvent::actor).containsExactly("alice", "bob");
        assertThat(decisionEvents().get(1).reason()).contains("V2 -> V1 to #1 allowed by bob: V2 corrupted orders")
                .contains("is lost");
    }

    @Test
    void shouldRecordNothingWhenAClosedCircuitIsReset() throws Exception {
        point("1.0", PointStatus.GOOD, null);
        int events = ledger.auditTrail(ENV).size();

        var circuit = ledger.resetCircuit(ENV, "just in case", "alice");

        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.by()).as("the circuit as it was").isNull();
        assertThat(ledger.auditTrail(ENV)).hasSize(events);
        ledger.openCircuit(ENV, "trip", "guard", 1);
        assertThat(ledger.resetCircuit(ENV, "fixed", "alice").by()).isEqualTo("alice");
        assertThat(ledger.auditTrail(ENV)).hasSize(events + 2);
    }

    private RollbackPoint interruptedWhileWatching(final String version) throws Exception {
        ArtifactRef artifact = artifacts.put(Files.writeString(dir.resolve("shop-" + version + ".jar"), version));
        return interruptedWhileWatching(ledger, new DeployRequest(PointSource.cli(version), List.of(artifact), null,
                Map.of(), "test", null, 0, "manual", null, Map.of()), now.get().plusSeconds(60));
    }

    /** A point as a SIGKILLed command-line guard leaves it: WATCHING in its state, INTERRUPTED by the next open. */
    private static RollbackPoint interruptedWhileWatching(final Ledger ledger, final DeployRequest request,
                                                          final Instant deadline) {
        GuardState state = GuardState.preparing().deploying(deadline.minusSeconds(120)).watching(deadline);
        RollbackPoint point = ledger.record(state.applyTo(RollbackPoint.builder(ENV, request.source())
                .artifacts(request.artifacts())), "test", "deploy");
        ledger.transition(ENV, point.id(), PointStatus.DEPLOYING, "guard", "deploy started");
        ledger.transition(ENV, point.id(), PointStatus.WATCHING, "guard", "watching");
        return ledger.transition(ENV, point.id(), PointStatus.INTERRUPTED, "ledger", "its watcher is gone");
    }
}
