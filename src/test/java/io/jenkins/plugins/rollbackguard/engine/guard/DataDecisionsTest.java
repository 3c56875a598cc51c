package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.data.DataHead;
import io.jenkins.plugins.rollbackguard.engine.data.Migration;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead;

/**
 * Tests the data decisions of {@link RollbackPlanner} and {@link Decisions} on data heads built as the readers build
 * them (the same decisions on real Flyway and Liquibase heads: {@link DataHeadGuardTest}): which migrations a rollback
 * crosses, the three declarations of expand, undo before restore, the backup at the target's head, the operator's
 * override, a half-applied migration, heads kept small on the point, and old points without heads.
 */
class DataDecisionsTest {
    private static final EnvironmentName ENV = EnvironmentName.of("shop");
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    @TempDir
    private Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
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
        return new PolicyReader().parse("test", "environment: shop\nbackups: [{type: postgres, host: db, database: shop, "
                + "user: app}]\n" + extra);
    }

    private static Migration flyway(final int version, final String script) {
        return new Migration(Integer.toString(version), null, script, script, "c" + version, version, true, false,
                Set.of(), null);
    }

    private static Migration liquibase(final int order, final String id, final Set<String> labels, final String tag) {
        return new Migration(id, "alice", null, "changelog.xml", "8:" + id, order, true, false, labels, tag);
    }

    private static DataHead head(final List<Migration> applied, final String halfApplied) {
        String head = applied.get(applied.size() - 1).author() != null ? applied.get(applied.size() - 1).name()
                : applied.get(applied.size() - 1).id();
        return new DataHead("flyway", "public.flyway_schema_history", head, applied, halfApplied, T0);
    }

    /** A point whose heads before and after its deploy are given; its watch ended with {@code end}. */
    private RollbackPoint point(final String version, final PointStatus end, final DataHead before, final DataHead after,
                                final List<String> marked, final BackupRef backup) throws Exception {
        ArtifactRef artifact = artifacts.put(Files.writeString(dir.resolve("shop-" + version + ".jar"), version));
        RollbackPoint.Builder draft = RollbackPoint.builder(ENV, PointSource.cli(version)).artifact(artifact)
                .dataHead(new SeenHead("before-deploy", before, List.of())).dataVersion(before.head());
        if (backup != null) {
            draft.backup(backup);
        }
        RollbackPoint point = ledger.record(draft, "test", version);
        ledger.update(ENV, point.id(), "test", "after", b -> b.dataHead(new SeenHead("after-deploy", after, marked))
                .dataVersion(after.head()));
        ledger.transition(ENV, point.id(), PointStatus.WATCHING, "test", "");
        return ledger.transition(ENV, point.id(), end, "test", "");
    }

    private static BackupRef backup(final String id) {
        return new BackupRef(id, "postgres", "ab".repeat(32), 100, T0.minusSeconds(60), T0.minusSeconds(59));
    }

    private static final DataHead ONE = head(List.of(flyway(1, "V1__orders.sql")), null);
    private static final DataHead TWO = head(List.of(flyway(1, "V1__orders.sql"), flyway(2, "V2__coupon.sql")), null);
    private static final DataHead THREE = head(List.of(flyway(1, "V1__orders.sql"), flyway(2, "V2__coupon.sql"),
            flyway(3, "V3__drop_note.sql")), null);

    @Test
    void shouldRefuseAMigrationNotDeclaredExpandAndNameIt() throws Exception {
        point("1", PointStatus.GOOD, ONE, ONE, List.of(), null);
        RollbackPoint bad = point("2", PointStatus.BAD, ONE, THREE, List.of("2"), null);

        RevertPlan plan = planner.planAutomatic(policy(""), bad);

        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Manual.class, m -> assertThat(m.reason())
                .contains("data version changed from 1 (#1) to 3 (#2) through V3__drop_note.sql, not declared")
                .doesNotContain("V2__coupon.sql").contains("--across-data-version"));
    }

    @Test
    void shouldAllowWhenEveryMigrationCrossedIsDeclaredOneWayOrAnother() throws Exception {
        point("1", PointStatus.GOOD, ONE, ONE, List.of(), null);
        RollbackPoint bad = point("2", PointStatus.BAD, ONE, THREE, List.of("2"), null); // 2 by its script's marker

        RevertPlan byPolicy = planner.planAutomatic(policy("dataVersion: {compatible: [V3__drop_note.sql]}"), bad);
        RevertPlan byVersion = planner.planAutomatic(policy("dataVersion: {compatible: ['3']}"), bad);

        assertThat(byPolicy).isInstanceOfSatisfying(RevertPlan.Revert.class, r -> {
            assertThat(r.dataRestore()).isEmpty();
            assertThat(r.undo()).isFalse();
            assertThat(r.dataWarning()).contains("the schema stays forward at 3", "V2__coupon.sql, V3__drop_note.sql");
            assertThat(r.describe()).contains("WARNING: the schema stays forward");
        });
        assertThat(byVersion).isInstanceOf(RevertPlan.Revert.class);
    }

    @Test
    void shouldReadTheLiquibaseLabelOrContextExpand() throws Exception {
        Migration first = liquibase(1, "1", Set.of(), "v1");
        DataHead v1 = head(List.of(first), null);
        DataHead expand = head(List.of(first, liquibase(2, "2", Set.of("expand", "prod"), null)), null);
        DataHead contract = head(List.of(first, liquibase(2, "2", Set.of("prod"), null)), null);
        point("1", PointStatus.GOOD, v1, v1, List.of(), null);
        RollbackPoint bad = point("2", PointStatus.BAD, v1, expand, List.of(), null);
        RevertPlan allowed = planner.planAutomatic(policy(""), bad);
        ledger.update(ENV, bad.id(), "test", "contract", b -> b.dataHead(new SeenHead("trip", contract, List.of())));

        RevertPlan refused = planner.planAutomatic(policy(""), ledger.point(ENV, bad.id()));

        assertThat(allowed).isInstanceOfSatisfying(RevertPlan.Revert.class, r -> assertThat(r.dataWarning())
                .contains("2::alice::changelog.xml"));
        assertThat(refused).isInstanceOfSatisfying(RevertPlan.Manual.class, m -> assertThat(m.reason())
                .contains("through 2::alice::changelog.xml, not declared"));
    }

    @Test
    void shouldRunTheUndoBeforeRestoringAndRestoreTheBackupAtTheTargetsHead() throws Exception {
        point("1", PointStatus.GOOD, ONE, ONE, List.of(), backup("b-before-1"));
        RollbackPoint bad = point("2", PointStatus.BAD, ONE, THREE, List.of(), backup("b-before-2"));

        RevertPlan undo = planner.planAutomatic(policy("allowDataRestore: true\ndataVersion: {undo: {command: [liquibase, "
                + "rollback, v1]}}"), bad);
        RevertPlan restore = planner.planAutomatic(policy("allowDataRestore: true"), bad);

        assertThat(undo).isInstanceOfSatisfying(RevertPlan.Revert.class, r -> {
            assertThat(r.undo()).isTrue();
            assertThat(r.dataRestore()).isEmpty();
            assertThat(r.reason()).contains("the policy's undo [liquibase, rollback, v1] runs first", "back to 1");
        });
        assertThat(restore).isInstanceOfSatisfying(RevertPlan.Revert.class, r -> assertThat(r.dataRestore())
                .as("taken before #2's deploy, at #1's head: not #1's own, taken before #1's migrations")
                .extracting(BackupRef::id).containsExactly("b-before-2"));
    }

    @Test
    void shouldFreezeOnAHalfAppliedMigrationEvenWhenAPersonAllowedTheCrossing() throws Exception {
        point("1", PointStatus.GOOD, ONE, ONE, List.of(), null);
        RollbackPoint bad = point("2", PointStatus.BAD, ONE, head(TWO.applied(),
                "V3__drop_note.sql is half-applied (success = false in public.flyway_schema_history)"), List.of(), null);
        new Decisions(ledger, now::get).allowAcrossDataVersion(ENV, bad.id(), 1, false, "ops", "V2 only adds");

        RevertPlan plan = planner.planAutomatic(policy(""), ledger.point(ENV, bad.id()));

        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Manual.class, m -> assertThat(m.reason())
                .contains("V3__drop_note.sql is half-applied", "frozen before any revert"));
    }

    @Test
    void shouldLetTheOperatorsOverrideDecideARefusedCrossing() throws Exception {
        point("1", PointStatus.GOOD, ONE, ONE, List.of(), null);
        RollbackPoint bad = point("2", PointStatus.BAD, ONE, THREE, List.of(), null);
        assertThat(planner.planAutomatic(policy(""), bad)).isInstanceOf(RevertPlan.Manual.class);

        String window = new Decisions(ledger, now::get).allowAcrossDataVersion(ENV, bad.id(), 1, false, "ops",
                "the old code ignores the dropped column");
        RevertPlan plan = planner.planManual(policy(""), ledger.point(ENV, bad.id()), 1);

        assertThat(window).contains("data-loss window: none restored");
        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Revert.class, r -> assertThat(r.reason())
                .contains("data version 3 -> 1, allowed by a person"));
    }

    @Test
    void shouldKeepTheMigrationsOfTheNewestHeadOnlyAndStillFindWhatWasCrossed() throws Exception {
        List<Migration> many = new ArrayList<>();
        for (int v = 1; v <= 70; v++) {
            many.add(flyway(v, "V%d__step.sql".formatted(v)));
        }
        DataHead sixty = head(many.subList(0, 60), null);
        DataHead seventy = head(many, null);
        point("1", PointStatus.GOOD, sixty, sixty, List.of(), null);
        RollbackPoint bad = point("2", PointStatus.BAD, sixty, seventy, List.of(), null);

        assertThat(bad.dataHeads().get(0).head().applied()).as("an earlier head keeps its head only").isEmpty();
        assertThat(bad.lastHead().orElseThrow().head().applied()).hasSize(SeenHead.KEPT);
        assertThat(DataCompatibility.crossed(bad, ledger.point(ENV, 1))).extracting(Migration::id)
                .containsExactly("61", "62", "63", "64", "65", "66", "67", "68", "69", "70");
    }

    @Test
    void shouldCompareDataVersionsOfPointsWithoutHeadsAsBefore() throws Exception {
        ArtifactRef artifact = artifacts.put(Files.writeString(dir.resolve("old.jar"), "old"));
        RollbackPoint old = ledger.record(RollbackPoint.builder(ENV, PointSource.cli("old")).artifact(artifact)
                .dataVersion("V41"), "test", "old");
        ledger.transition(ENV, old.id(), PointStatus.WATCHING, "test", "");
        ledger.transition(ENV, old.id(), PointStatus.GOOD, "test", "");
        RollbackPoint bad = point("2", PointStatus.BAD, ONE, TWO, List.of(), null);

        RevertPlan plan = planner.planAutomatic(policy(""), bad);

        assertThat(ledger.point(ENV, old.id()).dataHeads()).isEmpty();
        assertThat(plan).isInstanceOfSatisfying(RevertPlan.Manual.class, m -> assertThat(m.reason())
                .contains("data version changed from V41 (#1) to 2 (#2)"));
    }

    @Test
    void shouldShowThePendingScriptsAndWhatARevertWouldDoInTheDryRun() throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("db/migration"));
        Files.writeString(migrations.resolve("V1__orders.sql"), "CREATE TABLE orders (id int);");
        Files.writeString(migrations.resolve("V2__coupon.sql"), "-- rollback-guard: expand\nALTER TABLE orders ADD c text;");
        SeenHead now = new SeenHead("before-deploy", ONE, List.of());
        Policy expandOnly = policy("dataVersion: {migrations: '%s'}".formatted(migrations));

        String allExpand = DataPreview.describe(expandOnly, now, new RevertPlan.Manual(null, "first deploy"));
        Files.writeString(migrations.resolve("V10__drop_note.sql"), "ALTER TABLE orders DROP COLUMN note;");
        String blocking = DataPreview.describe(expandOnly, now, new RevertPlan.Manual(null, "first deploy"));
        DeployPlan plan = new DeployPlan("shop", 2, java.util.Map.<String, Baseline>of(), List.of(), "1",
                new RevertPlan.Manual(null, "x"), List.of(), blocking);

        assertThat(allExpand).contains("pending [V2__coupon.sql], all declared backward compatible",
                "goes ahead with a warning that the schema stays forward");
        assertThat(blocking).contains("pending [V2__coupon.sql, V10__drop_note.sql]",
                "not declared backward compatible: [V10__drop_note.sql]", "be refused and the environment frozen");
        assertThat(plan.lines()).contains("  data version: " + blocking);
    }
}
