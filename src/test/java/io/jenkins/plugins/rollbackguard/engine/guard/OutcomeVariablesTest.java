package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.*;

/**
 * The twin of {@code OutcomeVariablesITest} (issue #17): what {@code withRollbackGuard} returns and the per-environment
 * variables it sets after the block, computed from outcomes of points in a real ledger.
 */
class OutcomeVariablesTest {
    private static final EnvironmentName SHOP = EnvironmentName.of("shop-prod");
    private static final EnvironmentName ERP = EnvironmentName.of("erp.prod");

    @TempDir
    private Path dir;

    @Test
    void shouldNameTheVariablesAfterTheEnvironment() {
        assertThat(OutcomeVariables.key(SHOP)).isEqualTo("SHOP_PROD");
        assertThat(OutcomeVariables.key(ERP)).isEqualTo("ERP_PROD");
        assertThat(OutcomeVariables.key(EnvironmentName.of("Staging_2"))).isEqualTo("STAGING_2");
    }

    @Test
    void shouldTellAGoodDeploy() {
        Ledger ledger = Ledger.open(dir);
        RollbackPoint good = judged(ledger, SHOP, PointStatus.GOOD);

        GuardOutcome outcome = new GuardOutcome(GuardOutcome.Result.GOOD, good, "healthy for 5m", null, List.of(), null);

        assertThat(OutcomeVariables.of(SHOP, outcome)).containsExactly(
                entry("ROLLBACK_GUARD_SHOP_PROD_STATUS", "GOOD"),
                entry("ROLLBACK_GUARD_SHOP_PROD_POINT", Long.toString(good.id())),
                entry("ROLLBACK_GUARD_SHOP_PROD_POINT_STATUS", "GOOD"),
                entry("ROLLBACK_GUARD_SHOP_PROD_EXPLANATION", "healthy for 5m"),
                entry("ROLLBACK_GUARD_SHOP_PROD_REVERT_POINT", ""));
        assertThat(OutcomeVariables.facts(SHOP, outcome)).containsEntry("environment", "shop-prod")
                .containsEntry("status", "GOOD").containsEntry("point", good.id()).containsEntry("revertPoint", null);
    }

    @Test
    void shouldTellARevertedDeployAndTheRevertsPoint() {
        Ledger ledger = Ledger.open(dir);
        judged(ledger, SHOP, PointStatus.GOOD);
        RollbackPoint bad = judged(ledger, SHOP, PointStatus.BAD);
        RollbackPoint revert = judged(ledger, SHOP, PointStatus.GOOD);
        GuardOutcome reverted = new GuardOutcome(GuardOutcome.Result.GOOD, revert, "v1 back", null, List.of(), null);

        GuardOutcome outcome = new GuardOutcome(GuardOutcome.Result.REVERTED, bad,
                "payment success 0.70 is 27.8% below the baseline 0.97", reverted, List.of(), null);

        Map<String, String> variables = OutcomeVariables.of(SHOP, outcome);
        assertThat(variables).containsEntry("ROLLBACK_GUARD_SHOP_PROD_STATUS", "REVERTED")
                .containsEntry("ROLLBACK_GUARD_SHOP_PROD_POINT", Long.toString(bad.id()))
                .containsEntry("ROLLBACK_GUARD_SHOP_PROD_POINT_STATUS", "BAD")
                .containsEntry("ROLLBACK_GUARD_SHOP_PROD_REVERT_POINT", Long.toString(revert.id()));
        assertThat(OutcomeVariables.facts(SHOP, outcome)).containsEntry("revertPoint", revert.id())
                .containsEntry("pointStatus", "BAD");
    }

    @Test
    void shouldKeepTwoGuardedBlocksOfOneBuildApart() {
        Ledger ledger = Ledger.open(dir);
        RollbackPoint shop = judged(ledger, SHOP, PointStatus.GOOD);
        RollbackPoint erp = judged(ledger, ERP, PointStatus.BAD);
        Map<String, String> build = new HashMap<>(); // a build's variables, as the Jenkins action merges them

        build.putAll(OutcomeVariables.of(SHOP, new GuardOutcome(GuardOutcome.Result.GOOD, shop, "ok", null, List.of(), null)));
        build.putAll(OutcomeVariables.of(ERP, new GuardOutcome(GuardOutcome.Result.FROZEN, erp, "frozen", null, List.of(), null)));

        assertThat(build).hasSize(10).containsEntry("ROLLBACK_GUARD_SHOP_PROD_STATUS", "GOOD")
                .containsEntry("ROLLBACK_GUARD_ERP_PROD_STATUS", "FROZEN")
                .containsEntry("ROLLBACK_GUARD_SHOP_PROD_POINT", Long.toString(shop.id()))
                .containsEntry("ROLLBACK_GUARD_ERP_PROD_POINT", Long.toString(erp.id()));
    }

    @Test
    void shouldTellAnAbortBeforeAnyPoint() {
        GuardOutcome outcome = new GuardOutcome(GuardOutcome.Result.ABORTED, null, "backup 'db' failed", null, List.of(),
                null);

        assertThat(OutcomeVariables.of(SHOP, outcome)).containsEntry("ROLLBACK_GUARD_SHOP_PROD_STATUS", "ABORTED")
                .containsEntry("ROLLBACK_GUARD_SHOP_PROD_POINT", "")
                .containsEntry("ROLLBACK_GUARD_SHOP_PROD_EXPLANATION", "backup 'db' failed");
    }

    private static RollbackPoint judged(final Ledger ledger, final EnvironmentName env, final PointStatus verdict) {
        RollbackPoint point = ledger.record(RollbackPoint.builder(env, PointSource.cli("run")).gitCommit("c0ffee"),
                "test", "deploy");
        ledger.transition(env, point.id(), PointStatus.WATCHING, "test", "watch");
        return ledger.transition(env, point.id(), verdict, "test", "verdict");
    }
}
