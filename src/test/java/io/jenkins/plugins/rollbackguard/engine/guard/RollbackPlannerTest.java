package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/** Tests the class {@link RollbackPlanner}: target choice, no loops, cooldown, the data-version guard. */
class RollbackPlannerTest {
    private static final EnvironmentName ENV = EnvironmentName.of("shop");

    @TempDir
    private Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-01T12:00:00Z"));
    private Ledger ledger;
    private FileArtifactStore artifacts;
    private RollbackPlanner planner;

    @BeforeEach
    void createLedger() {
        ledger = Ledger.open(dir.resolve("ledger"), Ledger.Options.defaults().withClock(now::get));
        artifacts = new FileArtifactStore(dir.resolve("artifacts"));
        planner = new RollbackPlanner(ledger, artifacts, now::get);
    }

    private static Policy policy(final String extra) {
        return new PolicyReader().parse("test", "environment: shop\n" + extra);
    }

    private RollbackPoint point(final String version, final PointStatus end, final String dataVersion) throws Exception {
        ArtifactRef artifact = artifacts.put(Files.writeString(dir.resolve("shop-" + version + ".jar"), version));
        RollbackPoint point = ledger.record(RollbackPoint.builder(ENV, PointSource.cli(version)).artifact(artifact)
                .dataVersion(dataVersion), "test", version);
        ledger.transition(ENV, point.id(), PointStatus.WATCHING, "test", "");
        return ledger.transition(ENV, point.id(), end, "test", "");
    }

    @Test
    void shouldPickTheNewestGoodPointWithItsArtifacts() throws Exception {
        RollbackPoint old = point("1.0", PointStatus.GOOD, null);
        RollbackPoint good = point("1.1", PointStatus.GOOD, null);
        RollbackPoint bad = point("2.0", PointStatus.BAD, null);

        RevertPlan plan = planner.planAutomatic(policy(""), bad);

        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Revert.class, r -> {
            assertThat(r.target().id()).isEqualTo(good.id());
            assertThat(r.leaving().id()).isEqualTo(bad.id());
        });
        assertThat(old.id()).isLessThan(good.id());
    }

    @Test
    void shouldSkipAndMarkPointsWhoseArtifactsAreGone() throws Exception {
        RollbackPoint old = point("1.0", PointStatus.GOOD, null);
        RollbackPoint lost = point("1.1", PointStatus.GOOD, null);
        Files.delete(artifacts.locate(lost.artifacts().get(0)).orElseThrow());
        RollbackPoint bad = point("2.0", PointStatus.BAD, null);

        RevertPlan plan = planner.planAutomatic(policy(""), bad);

        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Revert.class, r -> assertThat(r.target().id()).isEqualTo(old.id()));
        assertThat(ledger.point(ENV, lost.id()).status()).isEqualTo(PointStatus.UNAVAILABLE);
    }

    @Test
    void shouldNeverRevertARevert() throws Exception {
        point("1.0", PointStatus.GOOD, null);
        RollbackPoint bad = point("2.0", PointStatus.BAD, null);
        RollbackPoint revert = ledger.record(RollbackPoint.builder(ENV, PointSource.cli("r")).revertOf(bad.id()), "guard", "");

        RevertPlan plan = planner.planAutomatic(policy(""), revert);

        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Manual.class,
                m -> assertThat(m.reason()).contains("never reverts a revert"));
    }

    @Test
    void shouldThrottleByCooldownAndAllowAfterIt() throws Exception {
        point("1.0", PointStatus.GOOD, null);
        RollbackPoint bad = point("2.0", PointStatus.BAD, null);
        ledger.record(RollbackPoint.builder(ENV, PointSource.cli("r")).revertOf(bad.id())
                .attribute(RollbackPlanner.TRIGGER, RollbackPlanner.AUTO), "guard", "");
        RollbackPoint again = point("2.1", PointStatus.BAD, null);

        RevertPlan throttled = planner.planAutomatic(policy("cooldown: 15m"), again);
        now.set(now.get().plus(Duration.ofMinutes(16)));
        RevertPlan allowed = planner.planAutomatic(policy("cooldown: 15m"), again);

        assertThat(throttled).isInstanceOfSatisfying(RevertPlan.Manual.class,
                m -> assertThat(m.reason()).contains("throttled").contains("cooldown 900s"));
        assertThat(allowed).isInstanceOf(RevertPlan.Revert.class);
    }

    @Test
    void shouldRefuseABlindRevertAcrossADataVersionChange() throws Exception {
        point("1.0", PointStatus.GOOD, "V41");
        RollbackPoint bad = point("2.0", PointStatus.BAD, "V42");

        RevertPlan plan = planner.planAutomatic(policy("allowDataRestore: true"), bad);

        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Manual.class, m -> assertThat(m.reason())
                .contains("data version changed from V41 (#1) to V42 (#2)").contains("no verified database backup"));
    }

    @Test
    void shouldRestoreDataWhenAllowedAndAVerifiedDatabaseBackupExists() throws Exception {
        RollbackPoint good = point("1.0", PointStatus.GOOD, "V41");
        ledger.update(ENV, good.id(), "test", "backup", b -> b.backup(new BackupRef("db-1", "postgres", "a".repeat(64), 10,
                now.get(), now.get())));
        RollbackPoint bad = point("2.0", PointStatus.BAD, "V42");

        RevertPlan denied = planner.planAutomatic(policy(""), bad);
        RevertPlan allowed = planner.planAutomatic(policy("allowDataRestore: true"), bad);

        assertThat(denied).isInstanceOfSatisfying(RevertPlan.Manual.class,
                m -> assertThat(m.reason()).contains("allowDataRestore: false"));
        assertThat(allowed).isInstanceOfSatisfying(RevertPlan.Revert.class,
                r -> assertThat(r.dataRestore()).extracting(BackupRef::id).containsExactly("db-1"));
    }

    @Test
    void shouldOnlyReturnToGoodPointsWhenAskedByHand() throws Exception {
        RollbackPoint good = point("1.0", PointStatus.GOOD, null);
        RollbackPoint bad = point("2.0", PointStatus.BAD, null);
        RollbackPoint current = point("2.1", PointStatus.GOOD, null);

        assertThat(planner.planManual(policy(""), current, bad.id())).isInstanceOfSatisfying(RevertPlan.Manual.class,
                m -> assertThat(m.reason()).contains("#2 is BAD, not a good point"));
        assertThat(planner.planManual(policy(""), current, good.id())).isInstanceOfSatisfying(RevertPlan.Revert.class,
                r -> assertThat(r.target().id()).isEqualTo(good.id()));
        assertThat(planner.planManual(policy(""), current, 0)).isInstanceOfSatisfying(RevertPlan.Revert.class,
                r -> assertThat(r.target().id()).isEqualTo(good.id()));
    }
}
